using Microsoft.AspNetCore.Identity;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Staff;

namespace PortalApp.Infrastructure;

/// <summary>Where the command reads the password from and writes its answers: the console, or a test's strings.</summary>
public sealed record AdminConsole(TextReader In, TextWriter Out, TextWriter Error, bool Interactive)
{
    public static AdminConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected);
}

/// <summary>
/// For when nobody can sign in: <c>admin create | reset-password | unlock | disable | enable --email …</c>. Each runs
/// the same rules as the Staff page (password rules, the last active admin) and is audited as "Command line".
/// Passwords are asked for at the prompt (hidden), or read from standard input when that is not a terminal.
/// </summary>
public static class AdminCommand
{
    public const string Usage = "Usage: dotnet PortalApp.dll admin create --email you@yourclinic.example [--name \"Your Name\"]\n"
        + "       dotnet PortalApp.dll admin reset-password|unlock|disable|enable --email someone@yourclinic.example\n"
        + "       dotnet PortalApp.dll admin backup --to /path/to/backup.db\n"
        + "       dotnet PortalApp.dll admin migrate-to-postgres --from App_Data/portal.db --to \"Host=…;Database=…;Username=…\"";

    public static bool Matches(string[] args) => args is ["admin", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, AdminConsole console)
    {
        if (BackupCommand.Matches(args))
            return await BackupCommand.RunAsync(services, args, console);
        if (MigrateToPostgres.MigrateToPostgresCommand.Matches(args))
            return await MigrateToPostgres.MigrateToPostgresCommand.RunAsync(args, console);
        var verb = args.Length > 1 ? args[1] : "";
        if (verb is not ("create" or "reset-password" or "unlock" or "disable" or "enable"))
            return Fail(console, 2, "Unknown command.", usage: true);
        var email = Option(args, "--email");
        if (string.IsNullOrWhiteSpace(email))
            return Fail(console, 2, "--email is required.", usage: true);
        if (Email.EmailAddressRules.Problem(email) is { } problem)
            return Fail(console, 2, $"--email: {problem}", usage: true);

        await StartupTasks.PrepareDatabaseAsync(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var staff = scope.ServiceProvider.GetRequiredService<StaffAdminService>();
        var user = await users.FindByEmailAsync(email);
        if (verb == "create")
        {
            if (user is not null)
                return Fail(console, 1, "An account with that email address already exists.");
            if (ReadNewPassword(console, "the new admin") is not { } password)
                return 1;
            return Report(console, await staff.CreateAdminAsync(email, Option(args, "--name") ?? email, password, StaffActor.CommandLine),
                $"Admin created. Sign in at /account/sign-in with {email}.");
        }

        if (user is null || !(await users.GetRolesAsync(user)).Any(StaffRoles.All.Contains))
            return Fail(console, 1, "There is no staff account with that email address.");
        switch (verb)
        {
            case "reset-password":
                if (ReadNewPassword(console, user.DisplayName) is not { } password)
                    return 1;
                return Report(console, await staff.SetPasswordAsync(user.Id, password, StaffActor.CommandLine),
                    $"Password changed for {email}; the account is unlocked and its sessions have ended.");
            case "unlock":
                return Report(console, await staff.UnlockAsync(user.Id, StaffActor.CommandLine), $"{email} is unlocked.");
            case "disable":
                return Report(console, await staff.DisableAsync(user.Id, StaffActor.CommandLine), $"{email} is disabled and signed out everywhere.");
            default:
                return Report(console, await staff.EnableAsync(user.Id, StaffActor.CommandLine), $"{email} is enabled.");
        }
    }

    private static string? ReadNewPassword(AdminConsole console, string whose)
    {
        var password = ReadPassword(console, $"Password for {whose}: ");
        if (console.Interactive && ReadPassword(console, "Repeat the password: ") != password)
        {
            console.Error.WriteLine("The passwords do not match. Nothing was changed.");
            return null;
        }
        return password;
    }

    private static int Report(AdminConsole console, Outcome outcome, string done)
    {
        if (outcome is Outcome.Refused refused)
            return Fail(console, 1, refused.Reason);
        console.Out.WriteLine(done);
        return 0;
    }

    private static int Fail(AdminConsole console, int code, string problem, bool usage = false)
    {
        console.Error.WriteLine(problem);
        if (usage)
            console.Error.WriteLine(Usage);
        return code;
    }

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string ReadPassword(AdminConsole console, string prompt)
    {
        if (!console.Interactive)
            return console.In.ReadLine() ?? "";
        console.Out.Write(prompt);
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
            else if (!char.IsControl(key.KeyChar) && password.Length < 1024)
            {
                password.Append(key.KeyChar);
            }
        }
        console.Out.WriteLine();
        return password.ToString();
    }
}
