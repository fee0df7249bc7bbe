using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PortalApp.Data;

namespace PortalApp.Infrastructure;

public sealed class InstanceOptions
{
    public const string Section = "Instance";

    /// <summary>
    /// This instance's name in work claims, cross-instance notifications and logs. Empty: the machine's name and the
    /// process id. Give each instance behind a proxy its own name (e.g. "web-1", "web-2").
    /// </summary>
    [StringLength(WorkClaim.MaxClaimerLength)]
    [RegularExpression(@"\A[A-Za-z0-9._:-]*\z", MatchTimeoutInMilliseconds = 250,
        ErrorMessage = "Instance:Name may hold letters, digits, '.', '_', ':' and '-' only.")]
    public string? Name { get; set; }
}

/// <summary>Who "this instance" is: the name its claims carry and its notifications are signed with.</summary>
public sealed class InstanceIdentity(IOptions<InstanceOptions> options)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(options.Value.Name)
        ? Default()
        : options.Value.Name.Trim();

    private static string Default()
    {
        var name = $"{Environment.MachineName}-{Environment.ProcessId}";
        return name.Length <= WorkClaim.MaxClaimerLength ? name : name[^WorkClaim.MaxClaimerLength..];
    }
}
