// Steady-state allocation tests read GC.GetAllocatedBytesForCurrentThread, which a garbage collection triggered
// by another test running in parallel can skew by up to one allocation quantum. Test classes therefore run one at
// a time in this assembly; the suite stays well within CI's budget.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
