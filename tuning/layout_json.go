package tuning

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// The JSON form of a Layout:
//
//	{
//	  "threads": [
//	    {"name": "core", "agents": ["core"], "cpus": "2", "wait": "spin"},
//	    {"name": "io", "agents": ["feed.a", "gateway.a"], "cpus": "3",
//	     "wait": "yield", "spins": 100},
//	    {"name": "background", "agents": ["journal", "control"], "cpus": "0-1",
//	     "wait": "park", "spins": 10, "yields": 10, "max_park": "1ms"}
//	  ]
//	}
//
// "cpus" is the kernel list format and may be omitted (not pinned);
// "max_park" is a Go duration. Unknown fields are errors.
type layoutJSON struct {
	Threads []threadJSON `json:"threads"`
}

type threadJSON struct {
	Name    string   `json:"name"`
	Agents  []string `json:"agents"`
	CPUs    string   `json:"cpus,omitempty"`
	Wait    string   `json:"wait"`
	Spins   int      `json:"spins,omitempty"`
	Yields  int      `json:"yields,omitempty"`
	MaxPark string   `json:"max_park,omitempty"`
}

// LoadLayout reads and parses a layout file; see ParseLayout.
func LoadLayout(path string) (Layout, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Layout{}, fmt.Errorf("tuning: layout: %w", err)
	}
	l, err := ParseLayout(data)
	if err != nil {
		return Layout{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return l, nil
}

// ParseLayout parses the JSON form of a Layout and validates it. Errors say
// where and what: the line and column of a syntax or type error, the
// unknown field, or the thread whose CPU list, duration or agents are wrong.
func ParseLayout(data []byte) (Layout, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var lj layoutJSON
	if err := dec.Decode(&lj); err != nil {
		return Layout{}, jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Layout{}, fmt.Errorf("tuning: layout: %s: data after the layout object", position(data, dec.InputOffset()))
	}
	l := Layout{Threads: make([]Thread, 0, len(lj.Threads))}
	for i, tj := range lj.Threads {
		where := fmt.Sprintf("tuning: layout: thread %d (%q)", i, tj.Name)
		cpus, err := ParseCPUList(tj.CPUs)
		if err != nil {
			return Layout{}, fmt.Errorf("%s: cpus: %s", where, strings.TrimPrefix(err.Error(), "tuning: "))
		}
		var maxPark time.Duration
		if tj.MaxPark != "" {
			if maxPark, err = time.ParseDuration(tj.MaxPark); err != nil {
				return Layout{}, fmt.Errorf("%s: max_park: %w", where, err)
			}
		}
		l.Threads = append(l.Threads, Thread{
			Name: tj.Name, Agents: tj.Agents, CPUs: cpus, Wait: Wait(tj.Wait),
			Spins: tj.Spins, Yields: tj.Yields, MaxPark: maxPark,
		})
	}
	if err := l.Validate(); err != nil {
		return Layout{}, err
	}
	return l, nil
}

// jsonError turns an encoding/json error into one that says where.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("tuning: layout: empty input")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("tuning: layout: unexpected end of input")
	case errors.As(err, &syn):
		return fmt.Errorf("tuning: layout: %s: %s", position(data, syn.Offset), syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("tuning: layout: %s: field %s: got JSON %s, want %s",
			position(data, typ.Offset), field, typ.Value, typ.Type)
	default:
		return fmt.Errorf("tuning: layout: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

// position renders where a decoder stopped as "line L, column C" (both
// from 1): off counts the bytes read, so the position is that of the last
// byte read, the offending one for a syntax error.
func position(data []byte, off int64) string {
	off = min(max(off-1, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// MarshalJSON renders l in the form ParseLayout reads.
func (l Layout) MarshalJSON() ([]byte, error) {
	lj := layoutJSON{Threads: make([]threadJSON, 0, len(l.Threads))}
	for _, t := range l.Threads {
		tj := threadJSON{
			Name: t.Name, Agents: t.Agents, CPUs: t.CPUs.String(), Wait: string(t.Wait),
			Spins: t.Spins, Yields: t.Yields,
		}
		if t.MaxPark != 0 {
			tj.MaxPark = t.MaxPark.String()
		}
		lj.Threads = append(lj.Threads, tj)
	}
	return json.Marshal(lj)
}

// UnmarshalJSON parses and validates, as ParseLayout does, so a Layout may
// sit inside a larger configuration document.
func (l *Layout) UnmarshalJSON(data []byte) error {
	parsed, err := ParseLayout(data)
	if err != nil {
		return err
	}
	*l = parsed
	return nil
}
