//go:build !race

#include "textflag.h"

// func storeRelease(p *uint32, v uint32)
// A plain store: on x86 (TSO) it is ordered after every earlier store.
TEXT ·storeRelease(SB), NOSPLIT, $0-12
	MOVQ p+0(FP), AX
	MOVL v+8(FP), BX
	MOVL BX, 0(AX)
	RET
