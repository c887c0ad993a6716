using Microsoft.AspNetCore.Http;
using ScriptService.Grpc.CallHandlers;

namespace ScriptService.Grpc.Server;

public static class ServerCallContextExtensions
{
    /// <summary>The HTTP request under the call (as Grpc.AspNetCore's extension of the same name).</summary>
    public static HttpContext GetHttpContext(this ServerCallContext context) =>
        context is HttpContextServerCallContext http
            ? http.HttpContext
            : throw new InvalidOperationException("This ServerCallContext does not run on ASP.NET Core.");
}
