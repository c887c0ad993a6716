"""The interop test cases of gRPC's public interop test descriptions, run with Debian's grpcio.

Debian's python3-grpcio does not ship grpc's interop client, so the cases are written here from the
descriptions (doc/interop-test-descriptions.md in the grpc repository). Stubs are generated from
protos/grpc/testing into the package `interop_pb` (renamed from grpc.testing, which would shadow the
grpc library's own `grpc.testing` module).

Usage: interop_client.py --server_port PORT [--server_host HOST] [--test_case NAME ...]
Prints PASS/FAIL per case and a closing line "interop: N passed, M failed"; exits 1 on any failure.
"""
import argparse
import queue
import sys
import threading
import traceback

import grpc

from interop_pb import empty_pb2, messages_pb2, test_pb2_grpc

CALL_TIMEOUT = 10  # seconds: every call is bounded, so a broken server fails a case instead of hanging CI.
STATUS_MESSAGE = "test status message"
SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
ECHO_INITIAL = ("x-grpc-test-echo-initial", "test_initial_metadata_value")
ECHO_TRAILING = ("x-grpc-test-echo-trailing-bin", b"\x0a\x0b\x0a\x0b\x0a\x0b")


def payload(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * size)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(code, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %r" % (code, error.code(), error.details()))
        return error
    raise AssertionError("expected %s, the call succeeded" % (code,))


class Requests:
    """A request stream fed from the test, for ping-pong style calls."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def send(self, request):
        self._queue.put(request)

    def close(self):
        self._queue.put(self._END)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get(timeout=CALL_TIMEOUT)
        if item is self._END:
            raise StopIteration
        return item


def empty_unary(stub, channel):
    response = stub.EmptyCall(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
    check(isinstance(response, empty_pb2.Empty), "response is not grpc.testing.Empty")


def large_unary(stub, channel):
    request = messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=payload(271828))
    response = stub.UnaryCall(request, timeout=CALL_TIMEOUT)
    check(response.payload.body == b"\x00" * 314159, "response payload is not 314159 zero bytes")


def client_streaming(stub, channel):
    sizes = (27182, 8, 1828, 45904)
    requests = (messages_pb2.StreamingInputCallRequest(payload=payload(size)) for size in sizes)
    response = stub.StreamingInputCall(requests, timeout=CALL_TIMEOUT)
    check(response.aggregated_payload_size == 74922, "aggregated size %d != 74922" % response.aggregated_payload_size)


def server_streaming(stub, channel):
    sizes = (31415, 9, 2653, 58979)
    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=size) for size in sizes])
    responses = list(stub.StreamingOutputCall(request, timeout=CALL_TIMEOUT))
    check([len(r.payload.body) for r in responses] == list(sizes), "response sizes %r" % [len(r.payload.body) for r in responses])


def ping_pong(stub, channel):
    request_sizes = (27182, 8, 1828, 45904)
    response_sizes = (31415, 9, 2653, 58979)
    requests = Requests()
    responses = stub.FullDuplexCall(requests, timeout=CALL_TIMEOUT)
    for request_size, response_size in zip(request_sizes, response_sizes):
        requests.send(messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE,
            response_parameters=[messages_pb2.ResponseParameters(size=response_size)],
            payload=payload(request_size)))
        response = next(responses)
        check(len(response.payload.body) == response_size, "response size %d != %d" % (len(response.payload.body), response_size))
    requests.close()
    check(next(responses, None) is None, "more responses than requests")


def empty_stream(stub, channel):
    responses = list(stub.FullDuplexCall(iter([]), timeout=CALL_TIMEOUT))
    check(responses == [], "expected no responses, got %d" % len(responses))


def timeout_on_sleeping_server(stub, channel):
    requests = Requests()
    responses = stub.FullDuplexCall(requests, timeout=0.001)
    requests.send(messages_pb2.StreamingOutputCallRequest(payload=payload(27182)))
    try:
        next(responses)
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "expected DEADLINE_EXCEEDED, got %s" % error.code())
        return
    finally:
        requests.close()
    raise AssertionError("expected DEADLINE_EXCEEDED, got a response")


def cancel_after_begin(stub, channel):
    requests = Requests()
    future = stub.StreamingInputCall.future(requests, timeout=CALL_TIMEOUT)
    future.cancel()
    requests.close()
    check(future.cancelled(), "the call is not cancelled")
    check(future.code() == grpc.StatusCode.CANCELLED, "expected CANCELLED, got %s" % future.code())


def cancel_after_first_response(stub, channel):
    requests = Requests()
    responses = stub.FullDuplexCall(requests, timeout=CALL_TIMEOUT)
    requests.send(messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=31415)],
        payload=payload(27182)))
    response = next(responses)
    check(len(response.payload.body) == 31415, "first response size %d" % len(response.payload.body))
    responses.cancel()
    requests.close()
    try:
        next(responses)
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.CANCELLED, "expected CANCELLED, got %s" % error.code())
        return
    raise AssertionError("expected CANCELLED, got another response")


def _status_cases(stub, message):
    status = messages_pb2.EchoStatus(code=2, message=message)
    error = expect_error(grpc.StatusCode.UNKNOWN, stub.UnaryCall,
                         messages_pb2.SimpleRequest(response_status=status), timeout=CALL_TIMEOUT)
    check(error.details() == message, "unary details %r != %r" % (error.details(), message))
    responses = stub.FullDuplexCall(iter([messages_pb2.StreamingOutputCallRequest(response_status=status)]), timeout=CALL_TIMEOUT)
    error = expect_error(grpc.StatusCode.UNKNOWN, lambda: list(responses))
    check(error.details() == message, "duplex details %r != %r" % (error.details(), message))


def status_code_and_message(stub, channel):
    _status_cases(stub, STATUS_MESSAGE)


def special_status_message(stub, channel):
    status = messages_pb2.EchoStatus(code=2, message=SPECIAL_MESSAGE)
    error = expect_error(grpc.StatusCode.UNKNOWN, stub.UnaryCall,
                         messages_pb2.SimpleRequest(response_status=status), timeout=CALL_TIMEOUT)
    check(error.details() == SPECIAL_MESSAGE, "details %r != %r" % (error.details(), SPECIAL_MESSAGE))


def unimplemented_method(stub, channel):
    expect_error(grpc.StatusCode.UNIMPLEMENTED, stub.UnimplementedCall, empty_pb2.Empty(), timeout=CALL_TIMEOUT)


def unimplemented_service(stub, channel):
    other = test_pb2_grpc.UnimplementedServiceStub(channel)
    expect_error(grpc.StatusCode.UNIMPLEMENTED, other.UnimplementedCall, empty_pb2.Empty(), timeout=CALL_TIMEOUT)


def _check_echoed(initial, trailing):
    initial = list(initial)
    trailing = list(trailing)
    check(ECHO_INITIAL in [tuple(m) for m in initial], "initial metadata not echoed: %r" % initial)
    check(ECHO_TRAILING in [tuple(m) for m in trailing], "trailing metadata not echoed: %r" % trailing)


def custom_metadata(stub, channel):
    metadata = (ECHO_INITIAL, ECHO_TRAILING)
    request = messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=payload(271828))
    response, call = stub.UnaryCall.with_call(request, metadata=metadata, timeout=CALL_TIMEOUT)
    check(len(response.payload.body) == 314159, "unary response size")
    _check_echoed(call.initial_metadata(), call.trailing_metadata())

    duplex_request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=314159)],
        payload=payload(271828))
    responses = stub.FullDuplexCall(iter([duplex_request]), metadata=metadata, timeout=CALL_TIMEOUT)
    received = list(responses)
    check(len(received) == 1 and len(received[0].payload.body) == 314159, "duplex response")
    _check_echoed(responses.initial_metadata(), responses.trailing_metadata())


def client_compressed_unary(stub, channel):
    def request(expect):
        return messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                                          payload=payload(271828), expect_compressed=messages_pb2.BoolValue(value=expect))
    # Probe: the server must refuse an uncompressed message that claims to expect compression.
    expect_error(grpc.StatusCode.INVALID_ARGUMENT, stub.UnaryCall, request(True), timeout=CALL_TIMEOUT)
    response = stub.UnaryCall(request(True), compression=grpc.Compression.Gzip, timeout=CALL_TIMEOUT)
    check(len(response.payload.body) == 314159, "compressed request: response size")
    response = stub.UnaryCall(request(False), timeout=CALL_TIMEOUT)
    check(len(response.payload.body) == 314159, "uncompressed request: response size")


def server_compressed_unary(stub, channel):
    for compressed in (True, False):
        request = messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                                             payload=payload(271828), response_compressed=messages_pb2.BoolValue(value=compressed))
        response, call = stub.UnaryCall.with_call(request, timeout=CALL_TIMEOUT)
        check(response.payload.body == b"\x00" * 314159, "response payload (compressed=%s)" % compressed)
        encoding = dict(call.initial_metadata()).get("grpc-encoding")
        # grpcio hides protocol headers from initial_metadata; when it does show one, it must match.
        if encoding is not None:
            check((encoding == "gzip") == compressed, "grpc-encoding %r with response_compressed=%s" % (encoding, compressed))


CASES = [
    empty_unary, large_unary, client_streaming, server_streaming, ping_pong, empty_stream,
    timeout_on_sleeping_server, cancel_after_begin, cancel_after_first_response,
    status_code_and_message, special_status_message, unimplemented_method, unimplemented_service,
    custom_metadata, client_compressed_unary, server_compressed_unary,
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", action="append", help="run only these cases (default: all)")
    args = parser.parse_args()

    by_name = {case.__name__: case for case in CASES}
    names = args.test_case or [case.__name__ for case in CASES]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        print("unknown test case(s): %s" % ", ".join(unknown))
        return 2

    passed = failed = 0
    with grpc.insecure_channel("%s:%d" % (args.server_host, args.server_port)) as channel:
        grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
        stub = test_pb2_grpc.TestServiceStub(channel)
        for name in names:
            try:
                by_name[name](stub, channel)
            except Exception:  # a case fails on any error; the others still run
                failed += 1
                print("FAIL %s" % name)
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print("PASS %s" % name)
            sys.stdout.flush()
    print("interop: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
