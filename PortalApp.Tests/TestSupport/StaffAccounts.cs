using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>Staff accounts of a test's own, so lockouts and throttles never touch another test's sign-ins.</summary>
public static class StaffAccounts
{
    public const string Password = "copper kettle winter orchard";

    public static async Task<PortalUser> CreateAsync(IServiceProvider services, string role = StaffRoles.FrontDesk, string? email = null)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        email ??= $"staff.{Guid.NewGuid():N}@clinic.example";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Sam Staffer", CreatedAtUtc = DateTime.UtcNow };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
