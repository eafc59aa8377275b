// Package tuning places the pipeline on the machine: it runs agents on OS
// threads pinned to CPUs, sets the process's GC and memory policy, and
// checks how well a host is set up for low latency.
//
// # Agents, threads and CPUs
//
// An Agent is one stage (a feed, the core, a gateway, the journal): a
// non-blocking DoWork step that returns how much work it did. Agents talk
// only through single-producer single-consumer rings, so an agent never
// waits for another; it polls.
//
// A thread is one goroutine locked to one OS thread (runtime.LockOSThread).
// It runs a duty cycle: call DoWork on each of its agents in turn (several
// agents may share a thread, round-robin), sum the work, and hand the sum to
// its Idler (wait strategy), which spins, yields or parks when the sum is 0.
// A thread's agents belong to it: their DoWork, OnStart and OnClose run on
// that thread only, so their state needs no locks.
//
// Each thread may be pinned to a CPU set with sched_setaffinity. A Layout,
// loaded from JSON or built in code, says which agents run on which thread,
// which CPUs each thread may use, and how it waits:
//
//	agents ──(Layout.Threads[i].Agents)──► thread ──(CPUs, Wait)──► CPU set
//
// On a host with isolated cores, every hot thread (core, feeds, gateways)
// has an isolated CPU of its own and busy-spins; background agents (journal
// flushing, control) share a thread that parks, on the housekeeping CPUs.
// On a small host (a 2-core VM, CI) agents share threads and waits yield.
// Plan fits a layout to the host (Host, from CurrentHost) and says what it
// changed and why; the events each agent sees, and so the results, are the
// same either way, only slower. Start runs the planned layout, Close stops
// it, and an agent's panic comes back from Close or Wait as a *PanicError.
//
// # Rules for a pinned thread
//
// A pinned thread must never block in the kernel on the hot path: no
// blocking system calls, no mutexes shared with other threads, no channel
// receives, no sleeping, no page faults on first touch (pre-fault or mlock
// the memory), no allocation that may wait for the garbage collector. Once
// blocked it has given its CPU away, and waking a thread costs 40-100 us on
// virtual machines, which is the whole latency budget many times over. This
// is why BackoffPark belongs to background threads only. Spinning threads
// need a CPU each: two spinners on one CPU, or more spinners than CPUs
// minus one, starve each other and the Go runtime, which is what Plan
// prevents.
//
// # Memory and host
//
// Memory applies GOGC, the soft memory limit and mlockall, and gives back a
// function that restores them. Check reads /proc and /sys through a HostFS
// (OSHost for the real machine, a directory tree in tests) and reports CPU
// isolation, SMT, the frequency governor, transparent huge pages, NUMA, the
// clock source, TSC flags, the process affinity and RLIMIT_MEMLOCK, each
// with a status and advice. Check never changes the host.
package tuning
