//go:build !race

package okx

// flowSteps is the number of venue steps the feed tests drive.
const flowSteps = 60
