using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>The layout is rendered once per clinic and reused: each email must be byte for byte what a full render gives.</summary>
public sealed class EmailComposerTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> Emails => new()
    {
        { "Your appointment", "<p>Hello</p>" },
        { "Rendez-vous à l'été <b>&amp;</b> \"demain\"", "<p>À bientôt &amp; merci</p>" },
        { "Emoji 😀 and 日本 and a tab\tin it", "<ul><li>one</li><li>two</li></ul>" },
        { "", "" },
        { "<script>alert(1)</script>", "<p>safe</p>" },
    };

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task Each_email_is_exactly_the_full_render_of_the_layout(string subject, string body)
    {
        var composer = _host.Scoped<EmailComposer>();
        foreach (var clinic in Clinics())
        {
            var composed = await composer.ComposeAsync(clinic, subject, body, "text");
            Assert.Equal(await composer.RenderAsync(clinic, subject, body), composed.Html);
        }
    }

    [Fact]
    public async Task The_layout_pieces_are_trusted_for_an_ordinary_clinic_and_one_whose_details_need_encoding()
    {
        var composer = _host.Scoped<EmailComposer>();
        foreach (var clinic in Clinics())
            Assert.True(await composer.ReusesLayoutAsync(clinic));
    }

    [Fact]
    public async Task A_change_to_the_clinic_shows_in_the_next_email()
    {
        var composer = _host.Scoped<EmailComposer>();
        var (before, after) = (Clinics()[0], Clinics()[0] with { Name = "Renamed & Co", Phone = "555-0199" });
        Assert.Contains("Main Street Physio", (await composer.ComposeAsync(before, "s", "<p>b</p>", "t")).Html);
        var html = (await composer.ComposeAsync(after, "s", "<p>b</p>", "t")).Html;
        Assert.Contains("Renamed &amp; Co", html);
        Assert.Contains("555-0199", html);
        Assert.DoesNotContain("Main Street Physio", html);
    }

    private static List<ClinicView> Clinics()
    {
        var clinic = new ClinicView("Main Street Physio", "1 Main St", "416-555-0100", "America/Toronto", "https://portal.example", 7, 3, 30,
            TwoFactorRequirement.Admins, false);
        return [clinic, clinic with { Name = "Ô <Clinique> & \"fils\"", Address = "", Phone = "" }];
    }
}
