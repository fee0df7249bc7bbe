using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PortalApp.Data;

// For `dotnet ef migrations add <Name> --context SqlitePortalDbContext --output-dir Data/Migrations/Sqlite` (and the
// PostgreSql twin): adding a migration needs the provider, not a database, so no settings are read. The one setting
// that shapes the model, Identity's schema version, comes from where the app sets it.

internal sealed class SqliteDesignTimeContext : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=design-time.db").UseApplicationServiceProvider(IdentityModel.Services).Options);
}

internal sealed class PostgreSqlDesignTimeContext : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=localhost;Database=design_time").UseApplicationServiceProvider(IdentityModel.Services).Options);
}

internal static class IdentityModel
{
    public static readonly IServiceProvider Services = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = PortalDbContext.IdentitySchema)
        .BuildServiceProvider();
}
