using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The whole app (the demo clinic) on the provider ./test.sh chose for this run: a SQLite file, or a PostgreSQL database
/// of its own (migrated and seeded at start, as a first start on PostgreSQL would). For web tests marked
/// <c>[Trait("Providers", "Both")]</c>, which ./test.sh runs once on each.
/// </summary>
public sealed class ProviderAppFixture : IAsyncLifetime
{
    private string? _database;

    public PortalAppFactory Factory { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (TestPostgres.Provider == DatabaseProvider.PostgreSql)
        {
            _database = await TestPostgres.CreateDatabaseAsync();
            Factory.With("Database:Provider", "PostgreSql").With("ConnectionStrings:Portal", TestPostgres.ConnectionString(_database));
        }
        Factory.CreateClient().Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null)
            await TestPostgres.DropDatabaseAsync(_database);
    }
}
