using Microsoft.AspNetCore.Identity;
using PortalApp.Data;

namespace PortalApp.Infrastructure;

/// <summary>
/// <c>admin create --email you@clinic [--name "Your Name"]</c>: the first admin of a real installation.
/// The password is asked for at the prompt (hidden), or read from standard input when that is not a terminal.
/// </summary>
public static class AdminCommand
{
    public static bool Matches(string[] args) => args is ["admin", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TimeProvider time)
    {
        if (BackupCommand.Matches(args))
            return await BackupCommand.RunAsync(services, args);
        if (args is not ["admin", "create", ..])
            return Usage("Unknown command.");
        var email = Option(args, "--email");
        var name = Option(args, "--name") ?? email;
        if (string.IsNullOrWhiteSpace(email))
            return Usage("--email is required.");
        if (Email.EmailAddressRules.Problem(email) is { } problem)
            return Usage($"--email: {problem}");

        await StartupTasks.PrepareDatabaseAsync(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            Console.Error.WriteLine($"An account with that email address already exists.");
            return 1;
        }

        var password = ReadPassword("Password for the new admin: ");
        if (!Console.IsInputRedirected && ReadPassword("Repeat the password: ") != password)
        {
            Console.Error.WriteLine("The passwords do not match. Nothing was created.");
            return 1;
        }

        var user = new PortalUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = name!, CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
            created = await users.AddToRoleAsync(user, StaffRoles.Admin);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine("The admin was not created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            return 1;
        }
        Console.WriteLine($"Admin created. Sign in at /account/sign-in with {email}.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string ReadPassword(string prompt)
    {
        if (Console.IsInputRedirected)
            return Console.In.ReadLine() ?? "";
        Console.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        Console.WriteLine();
        return password.ToString();
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("Usage: dotnet PortalApp.dll admin create --email you@yourclinic.example [--name \"Your Name\"]");
        return 2;
    }
}
