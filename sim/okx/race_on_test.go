//go:build race

package okx

// flowSteps is the number of venue steps the feed tests drive (fewer under the race detector).
const flowSteps = 30
