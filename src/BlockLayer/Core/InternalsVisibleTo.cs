using System.Runtime.CompilerServices;

// The queue's building blocks (sector index, segment counter) are unit-tested directly.
[assembly: InternalsVisibleTo("Hardware.BlockLayer.Tests")]
