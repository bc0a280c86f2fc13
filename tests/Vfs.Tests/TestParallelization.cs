// Test classes run one at a time in this assembly; the suite stays well within CI's budget. Steady-state
// allocation tests read the thread's allocation counter through AllocationMeter, and a garbage collection
// started by another thread can add up to one allocation quantum to the window it falls in: running classes one at
// a time keeps other tests from triggering collections, and the meter's least of several windows guards against
// the threads of the test host that remain (the runner's message bus, its pipe to dotnet test).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
