using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace PortalApp.Email;

public enum EmailTransportKind
{
    /// <summary>Writes .eml files to a folder, shown by the Dev mailbox page. The Development default.</summary>
    Pickup,
    Smtp,
}

public enum SmtpSecurity
{
    SslOnConnect,
    StartTls,

    /// <summary>Plain text: allowed only to a loopback host (a local relay).</summary>
    None,
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailTransportKind Transport { get; set; } = EmailTransportKind.Pickup;

    [Required]
    public string FromAddress { get; set; } = "";

    public string FromName { get; set; } = "";

    /// <summary>Relative paths are under the content root.</summary>
    public string PickupFolder { get; set; } = "App_Data/mailbox";

    /// <summary>
    /// Outside Development the app refuses to start with the Pickup transport (emails would never reach anyone)
    /// unless this says a folder is really wanted, e.g. for a relay that collects the files.
    /// </summary>
    public bool AllowPickupInProduction { get; set; }

    public SmtpSettings Smtp { get; set; } = new();
}

public sealed class SmtpSettings
{
    public string Host { get; set; } = "";
    [Range(1, 65535)]
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Checks what data annotations cannot: a parsable from address, and SMTP settings that make sense.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (EmailAddressRules.Problem(options.FromAddress) is { } problem)
            errors.Add($"Email:FromAddress '{options.FromAddress}' is not usable: {problem}");
        if (options.Transport == EmailTransportKind.Pickup && string.IsNullOrWhiteSpace(options.PickupFolder))
            errors.Add("Email:PickupFolder is required when Email:Transport is Pickup.");
        if (options.Transport == EmailTransportKind.Smtp)
        {
            if (string.IsNullOrWhiteSpace(options.Smtp.Host))
                errors.Add("Email:Smtp:Host is required when Email:Transport is Smtp.");
            else if (options.Smtp.Security == SmtpSecurity.None && !IsLoopback(options.Smtp.Host))
                errors.Add($"Email:Smtp:Security None sends mail in plain text and is allowed only to a loopback host, not '{options.Smtp.Host}'. Use StartTls or SslOnConnect.");
            if (string.IsNullOrEmpty(options.Smtp.UserName) != string.IsNullOrEmpty(options.Smtp.Password))
                errors.Add("Email:Smtp:UserName and Email:Smtp:Password must be set together.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the dispatcher looks for due emails when nothing wakes it.</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 10;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// Emails sent over one SMTP connection at most, in batches, while more are due: a bulk send reuses it rather than
    /// connecting again for every batch. Some relays cap messages per connection; set this at or below their limit.
    /// </summary>
    [Range(1, 100_000)]
    public int MessagesPerConnection { get; set; } = 500;

    /// <summary>After this many transient failures an email is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 16;

    /// <summary>The first retry waits about this long; each further one doubles it (with jitter), up to the maximum.</summary>
    [Range(1, 3600)]
    public int RetryBaseDelaySeconds { get; set; } = 30;

    [Range(1, 1440)]
    public int RetryMaxDelayMinutes { get; set; } = 60;

    /// <summary>
    /// How long an instance holds the emails it claimed (WorkClaim). If it dies mid-batch, another instance sends
    /// them once this has passed. A send is started only while the lease has at least two SMTP timeouts left, so a
    /// long batch stops early and the rest is claimed again instead of outliving its lease.
    /// </summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 300;
}

/// <summary>The lease must leave room for sends: at least four SMTP timeouts (two to start one, two to spare).</summary>
public sealed class OutboxOptionsValidator(IOptions<EmailOptions> email) : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var timeout = email.Value.Smtp.TimeoutSeconds;
        return options.LeaseSeconds < 4 * timeout
            ? ValidateOptionsResult.Fail($"Outbox:LeaseSeconds is {options.LeaseSeconds}: it must be at least four times Email:Smtp:TimeoutSeconds ({timeout}), i.e. {4 * timeout}, so a claimed email is sent before its lease ends.")
            : ValidateOptionsResult.Success;
    }
}
