package tuning

// Agent is one stage of the pipeline: a non-blocking step that the thread
// running it calls over and over (a duty cycle), in the manner of Agrona's
// agents. Agents talk to each other only through rings.
//
// After Start, an agent belongs to the one thread its Layout names: DoWork,
// OnStart and OnClose are called on that thread only, never concurrently,
// so an agent needs no locks for its own state.
type Agent interface {
	// Name identifies the agent in a Layout. Names are unique in a Runner.
	Name() string
	// DoWork does whatever work is ready and returns how much it did
	// (events handled, bytes moved); 0 means there was nothing to do, and
	// the thread's Idler may then back off.
	//
	// REQUIRES: never blocks (no locks held by other threads, no blocking
	// system calls, no channel waits) and does not allocate in steady state.
	DoWork() int
}

// Starter is implemented by agents that need set-up on their own thread,
// after it is locked and pinned and before the first DoWork: touching
// memory there places it on the thread's NUMA node.
type Starter interface {
	OnStart()
}

// Closer is implemented by agents that need tear-down on their own thread
// after the last DoWork. OnClose runs even when another agent of the same
// thread panicked, for every agent whose OnStart completed.
type Closer interface {
	OnClose()
}
