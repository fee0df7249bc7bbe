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

    protected override bool StartsFromDemoTemplate => false;

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
        ["Messaging:AllowFolderInProduction"] = "true",
        // A real installation requires two-factor for admins (TwoFactorTests); these tests are about what comes after.
        ["Clinic:RequireTwoFactorFor"] = "Nobody",
    };

    /// <summary>A browser on the portal's own host name (HSTS is never sent to localhost).</summary>
    public HttpClient Https() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://portal.clinic.example"), AllowAutoRedirect = false, HandleCookies = true,
    });

    /// <summary>A client with a portal account of their own, as registration makes it, ready to sign in.</summary>
    public async Task<string> AddPatientAsync()
    {
        var email = $"nora.{Guid.NewGuid():N}@example.com";
        await using var db = await DbAsync();
        var client = db.Clients.Add(new Client
        {
            FirstName = "Nora", LastName = "Quinn", DateOfBirth = new DateOnly(1979, 5, 14), Email = email, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var patient = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Nora Quinn", ClientId = client.Id, CreatedAtUtc = DateTime.UtcNow };
        Check(await users.CreateAsync(patient, PortalForms.PatientPassword));
        Check(await users.AddToRoleAsync(patient, StaffRoles.Patient));
        return email;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

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
        Check(await users.CreateAsync(admin, AdminPassword));
        Check(await users.AddToRoleAsync(admin, StaffRoles.Admin));
    }
}
