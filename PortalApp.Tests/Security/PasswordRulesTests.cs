using PortalApp.Security;

namespace PortalApp.Tests.Security;

public sealed class PasswordRulesTests
{
    private static readonly string[] Nora = ["Nora", "Quinn", "nora.quinn@example.com", "Maple Grove Family Health"];

    [Theory]
    [InlineData("lantern orbit meadow cobalt")]
    [InlineData("Tr0ub4dor&3xyz!")]
    [InlineData("🌿 green tea at half past 7 🌿")]
    public void Long_unguessable_passwords_pass_whatever_characters_they_use(string password) =>
        Assert.Null(PasswordRules.Problem(password, Nora));

    [Theory]
    [InlineData("password1234", "too easy to guess")]
    [InlineData("noraquinn1979", "too easy to guess")]
    [InlineData("maplegrovehealth", "too easy to guess")]
    [InlineData("short one", "at least 12 characters")]
    [InlineData("", "Choose a password.")]
    public void Short_common_or_personal_passwords_are_refused_with_the_reason(string password, string reason) =>
        Assert.Contains(reason, PasswordRules.Problem(password, Nora));

    [Fact]
    public void Over_128_characters_is_refused() =>
        Assert.Contains("at most 128", PasswordRules.Problem(new string('x', 129), Nora));

    [Fact]
    public async Task The_shared_estimator_gives_the_same_answer_under_parallel_use()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            PasswordRules.Problem(i % 2 == 0 ? "password1234" : "lantern orbit meadow cobalt", Nora) is null)));

        Assert.Equal(Enumerable.Range(0, 64).Select(i => i % 2 == 1), answers);
    }
}
