using PortalApp.Email;

namespace PortalApp.Tests.Email;

public sealed class EmailOptionsValidatorTests
{
    private static EmailOptions Smtp(string host, SmtpSecurity security = SmtpSecurity.StartTls, string? user = null, string? password = null) => new()
    {
        Transport = EmailTransportKind.Smtp,
        FromAddress = "portal@clinic.example",
        Smtp = new SmtpSettings { Host = host, Port = 25, Security = security, UserName = user, Password = password },
    };

    private static string Errors(EmailOptions options)
    {
        var result = new EmailOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, "expected the settings to be refused");
        return result.FailureMessage;
    }

    private static void AssertValid(EmailOptions options)
    {
        var result = new EmailOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("smtp.example.com")]
    [InlineData("10.0.0.5")]
    [InlineData("localhost.example.com")]
    public void Plain_text_smtp_is_refused_for_a_host_that_is_not_loopback(string host)
    {
        var errors = Errors(Smtp(host, SmtpSecurity.None));

        Assert.Contains("Email:Smtp:Security", errors);
        Assert.Contains(host, errors);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("::1")]
    public void Plain_text_smtp_is_allowed_to_a_loopback_relay(string host)
    {
        AssertValid(Smtp(host, SmtpSecurity.None));
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public void Encrypted_smtp_is_allowed_to_any_host(SmtpSecurity security)
    {
        AssertValid(Smtp("smtp.example.com", security, "portal", "secret"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Smtp_without_a_host_is_refused(string host)
    {
        Assert.Contains("Email:Smtp:Host", Errors(Smtp(host)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("Portal <portal@clinic.example>")]
    [InlineData("portal@clinic.example; boss@clinic.example")]
    public void An_unusable_from_address_is_refused(string from)
    {
        var options = Smtp("smtp.example.com");
        options.FromAddress = from;

        Assert.Contains("Email:FromAddress", Errors(options));
    }

    [Theory]
    [InlineData("portal", null)]
    [InlineData("portal", "")]
    [InlineData(null, "secret")]
    public void A_user_name_and_password_must_come_together(string? user, string? password)
    {
        var errors = Errors(Smtp("smtp.example.com", SmtpSecurity.StartTls, user, password));

        Assert.Contains("Email:Smtp:UserName", errors);
        Assert.Contains("Email:Smtp:Password", errors);
    }

    [Fact]
    public void The_pickup_transport_needs_a_folder_but_no_smtp_host()
    {
        var options = new EmailOptions { FromAddress = "portal@clinic.example", PickupFolder = "App_Data/mailbox" };
        AssertValid(options);

        options.PickupFolder = " ";
        Assert.Contains("Email:PickupFolder", Errors(options));
    }
}
