using PortalApp.Email;

namespace PortalApp.Tests.Email;

public sealed class OutboxRetryDelayTests
{
    private static readonly OutboxOptions Settings = new() { RetryBaseDelaySeconds = 30, RetryMaxDelayMinutes = 60 };

    /// <summary>Enough draws that a jitter outside ±20%, or no jitter at all, shows up every run.</summary>
    private static double[] Draws(int attempts, OutboxOptions? settings = null) =>
        Enumerable.Range(0, 2000).Select(_ => OutboxDispatcher.RetryDelay(attempts, settings ?? Settings).TotalSeconds).ToArray();

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(4, 240)]
    [InlineData(7, 1920)]
    public void Each_retry_waits_twice_as_long_as_the_one_before_within_20_percent(int attempts, double nominalSeconds)
    {
        Assert.All(Draws(attempts), seconds => Assert.InRange(seconds, nominalSeconds * 0.8, nominalSeconds * 1.2));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(100)]
    public void The_wait_is_capped_at_RetryMaxDelayMinutes(int attempts)
    {
        Assert.All(Draws(attempts), seconds => Assert.InRange(seconds, 3600 * 0.8, 3600 * 1.2));
    }

    [Fact]
    public void A_small_maximum_caps_even_the_first_retry()
    {
        var settings = new OutboxOptions { RetryBaseDelaySeconds = 120, RetryMaxDelayMinutes = 1 };

        Assert.All(Draws(1, settings), seconds => Assert.InRange(seconds, 60 * 0.8, 60 * 1.2));
    }

    [Fact]
    public void The_jitter_spreads_retries_across_the_whole_band_so_failed_rows_do_not_retry_together()
    {
        var draws = Draws(1);

        Assert.Contains(draws, s => s < 30 * 0.85);
        Assert.Contains(draws, s => s > 30 * 1.15);
        Assert.Contains(draws, s => s > 30 * 0.95 && s < 30 * 1.05);
        Assert.True(draws.Distinct().Count() > 1000, "delays should rarely repeat exactly");
    }
}
