using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Hardware.Vfs.Tests")]
