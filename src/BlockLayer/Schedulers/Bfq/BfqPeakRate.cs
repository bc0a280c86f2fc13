using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// BFQ's estimate of the device's peak rate (bfq_update_peak_rate / bfq_update_rate_reset): sectors dispatched
/// over observation intervals of about a second, kept only when the interval was mostly sequential or beat the
/// current estimate, folded in with a weight that grows with the sequential share. Rates are sectors per
/// microsecond shifted left by <see cref="RateShift"/>, as in Linux.
/// </summary>
internal sealed class BfqPeakRate
{
    public const int RateShift = 16;
    public const int MinSamples = 32;
    public const long MinInterval = 300 * SimTime.Millisecond;
    public const long ReferenceInterval = SimTime.Second;
    public const long SeekThreshold = 800;
    public const int SmallRequestNonRotational = 64;
    public const long MinThinkTime = 2 * SimTime.Millisecond;

    /// <summary>Linux's ref_rate: reference peak rates of a rotational and a non-rotational device.</summary>
    public static readonly long[] ReferenceRates = [14000, 33000];

    private long _samples;
    private long _sequentialSamples;
    private long _sectors;
    private long _firstDispatch;
    private long _lastDispatch;
    private long _lastCompletion;

    public BfqPeakRate(bool rotational)
    {
        Rotational = rotational;
        PeakRate = ReferenceRates[rotational ? 0 : 1] * 2 / 3;
    }

    public bool Rotational { get; }

    /// <summary>Current estimate, (sectors/us) &lt;&lt; 16.</summary>
    public long PeakRate { get; private set; }

    public long Updates { get; private set; }

    /// <summary>The estimate in sectors per second.</summary>
    public long SectorsPerSecond => PeakRate * 1_000_000 >> RateShift;

    /// <summary>Is <paramref name="request"/> a seek away from <paramref name="lastPosition"/>? (BFQ_RQ_SEEKY)</summary>
    public bool IsSeek(long lastPosition, Request request) =>
        lastPosition != 0 && Math.Abs(request.Sector - lastPosition) > SeekThreshold
        && (Rotational || request.SectorCount < SmallRequestNonRotational);

    public void OnCompletion(long now) => _lastCompletion = now;

    /// <summary>Samples a dispatch; true when the estimate changed.</summary>
    public bool OnDispatch(Request request, long now, int inDriver, long lastPosition)
    {
        bool updated = false;
        if (_samples == 0)
        {
            Reset(request, now);
        }
        else if (now - _lastDispatch > 100 * SimTime.Millisecond && inDriver == 0)
        {
            updated = UpdateAndReset(request, now, now - _firstDispatch);
        }
        else
        {
            _samples++;
            if ((inDriver > 0 || now - _lastCompletion < MinThinkTime) && !IsSeek(lastPosition, request))
                _sequentialSamples++;
            _sectors += request.SectorCount;
            long elapsed = now - _firstDispatch;
            if (elapsed >= ReferenceInterval)
                updated = UpdateAndReset(request, now, elapsed);
        }
        _lastDispatch = now;
        return updated;
    }

    private bool UpdateAndReset(Request request, long now, long elapsed)
    {
        bool updated = false;
        if (_samples >= MinSamples && elapsed >= MinInterval)
        {
            elapsed = Math.Max(elapsed, _lastCompletion - _firstDispatch);
            long micros = Math.Max(1, elapsed / SimTime.Microsecond);
            long rate = (_sectors << RateShift) / micros;
            bool mostlySequential = _sequentialSamples >= (3 * _samples) >> 2;
            if ((mostlySequential || rate > PeakRate) && rate <= 20L << RateShift)
            {
                long weight = 9 * _sequentialSamples / _samples;
                long divisor = 10 - weight;
                PeakRate = Math.Max(1, PeakRate * (divisor - 1) / divisor + rate / divisor);
                Updates++;
                updated = true;
            }
        }
        Reset(request, now);
        return updated;
    }

    private void Reset(Request request, long now)
    {
        _firstDispatch = now;
        _lastDispatch = now;
        _samples = 1;
        _sequentialSamples = 0;
        _sectors = request.SectorCount;
    }
}
