namespace ScriptService.Storage;

/// <summary>Opens the store the configuration names (<c>Store:Provider</c>: <c>sqlite</c>, the default, or <c>postgres</c>).</summary>
public static class ConversationStores
{
    /// <exception cref="ArgumentException">An unknown provider or a missing connection string, naming the setting.</exception>
    /// <exception cref="StoreUnavailableException">The database cannot be opened or migrated.</exception>
    public static IConversationStore Open(StoreOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider.Trim().ToLowerInvariant())
        {
            case "" or "sqlite":
                var sqlite = SqliteConversationStore.Open(options, clock);
                sqlite.Committed = Metrics.ServiceMetrics.Committed;
                return sqlite;
            case "postgres" or "postgresql":
                // Start-up only: the service cannot serve before its schema is current.
                var postgres = PostgresConversationStore.OpenAsync(options, clock, CancellationToken.None).GetAwaiter().GetResult();
                postgres.Committed = Metrics.ServiceMetrics.Committed;
                return postgres;
            default:
                throw new ArgumentException($"Store:Provider is '{options.Provider}'; use 'sqlite' (the default) or 'postgres'.", nameof(options));
        }
    }

    /// <summary>Where the conversations are, for the start-up log (no credentials).</summary>
    public static string Describe(IConversationStore store) => store switch
    {
        SqliteConversationStore sqlite => sqlite.FilePath,
        PostgresConversationStore postgres => postgres.Description,
        _ => store.GetType().Name,
    };
}
