# ems build targets. `make run` and `make test` are the two commands; the rest serve development.
GO       ?= go
PKGS     := ./...
# Packages with concurrency worth running under the race detector (allocation tests skip there).
RACE     := ./ring/... ./journal/... ./tuning/... ./core/... ./feed/... ./cmd/...
FUZZTIME ?= 15s
BENCHTIME ?= 1s

.PHONY: run test vet race bench fuzz lint build

build:
	$(GO) build -o bin/ems ./cmd/ems

run:
	$(GO) run ./cmd/ems run

test: vet
	$(GO) test -count=1 $(PKGS)
	$(GO) test -count=1 -race $(RACE)

vet:
	$(GO) vet $(PKGS)

race:
	$(GO) test -count=1 -race $(RACE)

bench:
	$(GO) test -run '^$$' -bench . -benchtime=$(BENCHTIME) -count=3 $(PKGS)

# Short fuzz runs of every Fuzz target, one at a time (go test -fuzz takes one target per package).
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime=$(FUZZTIME) $$pkg; \
	  done; \
	done

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
