using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PortalApp.Data;
using PortalApp.Infrastructure;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The whole app in the Production environment, as a clinic's server runs it: no demo data, an admin made first (as
/// `admin create` does), emails left in the pickup folder by explicit permission, and reached over HTTPS (the proxy's
/// X-Forwarded-Proto, in real life).
/// </summary>
public sealed class ProductionAppFactory : PortalAppFactory
{
    public const string AdminEmail = "it@clinic.example";
    public const string AdminPassword = "a long enough passphrase";

    private ProductionAppFactory() { }

    public static async Task<ProductionAppFactory> StartAsync()
    {
        var factory = new ProductionAppFactory();
        await factory.CreateAdminAsync();
        factory.CreateClient().Dispose();
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    private Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(Folder, "portal.db")}",
        ["Seed:DemoData"] = "false",
        ["Email:FromAddress"] = "portal@clinic.example",
        ["Email:AllowPickupInProduction"] = "true",
    };

    public HttpClient Https() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
    });

    private async Task CreateAdminAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = Folder });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Services.AddPortalCore(builder.Configuration, builder.Environment);
        await using var app = builder.Build();
        await StartupTasks.PrepareDatabaseAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = new PortalUser { UserName = AdminEmail, Email = AdminEmail, EmailConfirmed = true, DisplayName = "Ida IT", CreatedAtUtc = DateTime.UtcNow };
        var created = await users.CreateAsync(admin, AdminPassword);
        if (created.Succeeded)
            created = await users.AddToRoleAsync(admin, StaffRoles.Admin);
        if (!created.Succeeded)
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
    }
}
