using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Tests.Media;

public class SeekCurveTests
{
    private static readonly HddMedia Disk = (HddMedia)MediaModels.Create(DevicePresets.Hdd7200);
    private static HddParameters Figures => DevicePresets.Hdd7200.Hdd!;

    [Fact]
    public void One_cylinder_takes_the_track_to_track_time_and_the_full_stroke_the_full_stroke_time()
    {
        SeekCurve curve = Disk.SeekCurve;
        Assert.Equal(Figures.TrackToTrackMs, curve.TimeMs(1), 9);
        Assert.Equal(Figures.FullStrokeMs, curve.TimeMs(curve.MaxDistance), 9);
        Assert.Equal(Disk.Geometry.Cylinders - 1, curve.MaxDistance);
        Assert.Equal(0, curve.TimeNs(0));
    }

    [Fact]
    public void Seek_time_rises_with_every_extra_cylinder()
    {
        SeekCurve curve = Disk.SeekCurve;
        for (long d = 1; d <= curve.MaxDistance; d++)
            Assert.True(curve.TimeMs(d) > curve.TimeMs(d - 1), $"seek({d}) is not above seek({d - 1})");
    }

    [Fact]
    public void The_square_root_and_linear_branches_meet_at_the_boundary()
    {
        SeekCurve curve = Disk.SeekCurve;
        Assert.InRange(curve.Boundary, 2, curve.MaxDistance - 1);
        double sqrtEnd = curve.SqrtOffsetMs + curve.SqrtCoefficientMs * Math.Sqrt(curve.Boundary);
        double linearStart = curve.LinearOffsetMs + curve.LinearSlopeMs * curve.Boundary;
        Assert.Equal(sqrtEnd, linearStart, 9);
    }

    [Fact]
    public void Its_mean_over_the_geometry_distance_distribution_is_the_datasheet_average()
    {
        Assert.Equal(Figures.AvgSeekMs, Disk.SeekCurve.CalibratedMeanMs, 6);
        Assert.Equal(Figures.AvgSeekMs, Disk.SeekCurve.MeanMs(Disk.Geometry.SeekDistanceDistribution()), 6);
    }

    [Fact]
    public void Its_mean_over_uniformly_random_LBA_pairs_is_the_datasheet_average_within_one_percent()
    {
        var random = new SimRandom(20240601);
        double sum = 0;
        const int pairs = 200_000;
        for (int i = 0; i < pairs; i++)
        {
            HddAddress from = Disk.Geometry.Locate(random.NextInt64(Disk.CapacitySectors));
            HddAddress to = Disk.Geometry.Locate(random.NextInt64(Disk.CapacitySectors));
            sum += Disk.SeekCurve.TimeMs(Math.Abs(to.Cylinder - from.Cylinder));
        }
        Assert.InRange(sum / pairs, Figures.AvgSeekMs * 0.99, Figures.AvgSeekMs * 1.01);
    }

    [Fact]
    public void The_distance_distribution_of_random_LBA_pairs_sums_to_one()
    {
        double[] weights = Disk.Geometry.SeekDistanceDistribution();
        Assert.Equal(Disk.Geometry.Cylinders, weights.Length);
        Assert.Equal(1.0, weights.Sum(), 9);
        Assert.All(weights, w => Assert.True(w >= 0));
    }

    [Fact]
    public void A_curve_fits_any_geometry_given_its_distance_distribution()
    {
        // Ruemmler and Wilkes' HP 97560 figures over 1962 cylinders of equal density.
        const int cylinders = 1962;
        var weights = new double[cylinders];
        weights[0] = 1.0 / cylinders;
        for (int d = 1; d < cylinders; d++) weights[d] = 2.0 * (cylinders - d) / ((double)cylinders * cylinders);

        Assert.True(SeekCurve.TryCalibrate(3.64, 23.7, 13.0, weights, out SeekCurve? curve, out string error), error);
        Assert.Equal(3.64, curve!.TimeMs(1), 9);
        Assert.Equal(23.7, curve.TimeMs(cylinders - 1), 9);
        Assert.Equal(13.0, curve.MeanMs(weights), 6);
    }

    [Fact]
    public void Figures_out_of_order_are_rejected_with_an_explanation()
    {
        double[] weights = Disk.Geometry.SeekDistanceDistribution();
        Assert.False(SeekCurve.TryCalibrate(9.0, 14.7, 8.5, weights, out _, out string error));
        Assert.Contains("trackToTrackMs", error);
        Assert.False(SeekCurve.TryCalibrate(1.0, 8.0, 8.5, weights, out _, out error));
        Assert.Contains("fullStrokeMs", error);
    }
}
