package logs

// maxPreamble caps the warnings remembered as a possible start-up
// preamble; a longer run of warnings keeps its newest ones.
const maxPreamble = 256

// eventCall is one recorded call of scanner.event, replayed when a hub
// start makes it part of the new run.
type eventCall struct {
	id, level, logger string
	params            map[string]string
	keys              []string
	text              string
	pos               Position
	gline             int64
}

// createdEvent is an event first seen at global line gline.
type createdEvent struct {
	e     *Event
	gline int64
}

// preamble remembers the warning events of the current run of
// consecutive warning records. A record of any other level, a proxy line
// or bare text ends such a run: it is a boundary. When a hub start follows
// a run of warnings directly, those warnings belong to the starting hub (it
// logs its config warnings before announcing its version): their events
// take its version, and in post mode resetForStart replays them into the
// new run.
type preamble struct {
	// calls are the warning events to replay (post mode only).
	calls []eventCall
	// created are the warning events first seen in the current run.
	created []createdEvent
	// last is the line number of the newest boundary, prev of the one
	// before it: the start line is itself a boundary (an info record),
	// so its preamble lies after prev.
	last, prev int64
	replaying  bool
}

// boundary notes a record at global line g that cannot be part of a
// start-up preamble.
func (p *preamble) boundary(g int64) {
	if g == p.last {
		return
	}
	p.prev, p.last = p.last, g
	// What came before prev can no longer precede a start directly.
	p.calls = keepAfter(p.calls, p.prev)
	p.created = keepAfter(p.created, p.prev)
}

// from is the line after which the preamble of a start at line start
// begins.
func (p *preamble) from(start int64) int64 {
	if p.last == start {
		return p.prev
	}
	return p.last
}

// noteCreated remembers a warning event first seen at line g.
func (p *preamble) noteCreated(e *Event, g int64) {
	p.created = pushCapped(p.created, createdEvent{e, g})
}

// stamp gives the events first seen in the preamble of the start at line
// start the version of that start.
func (p *preamble) stamp(start int64, version string) {
	for _, c := range between(p.created, p.from(start), start) {
		c.e.Version = version
	}
	p.created = p.created[:0]
}

// record remembers a warning event.
func (p *preamble) record(c eventCall) { p.calls = pushCapped(p.calls, c) }

// before returns the recorded warnings that directly precede the start
// record at global line start.
func (p *preamble) before(start int64) []eventCall {
	return between(p.calls, p.from(start), start)
}

// atLine is what the preamble lists hold: something seen at a global line.
type atLine interface{ at() int64 }

func (c eventCall) at() int64    { return c.gline }
func (c createdEvent) at() int64 { return c.gline }

// pushCapped appends x, dropping the oldest entry beyond maxPreamble.
func pushCapped[T any](xs []T, x T) []T {
	if len(xs) >= maxPreamble {
		copy(xs, xs[1:])
		xs = xs[:len(xs)-1]
	}
	return append(xs, x)
}

// keepAfter keeps, in place, the entries after line g.
func keepAfter[T atLine](xs []T, g int64) []T {
	n := 0
	for _, x := range xs {
		if x.at() > g {
			xs[n] = x
			n++
		}
	}
	return xs[:n]
}

// between returns the entries after line from and before line to.
func between[T atLine](xs []T, from, to int64) []T {
	var out []T
	for _, x := range xs {
		if x.at() > from && x.at() < to {
			out = append(out, x)
		}
	}
	return out
}
