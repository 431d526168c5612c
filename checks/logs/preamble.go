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

// preamble remembers the warning events of the current run of
// consecutive warning records (post mode). A record of any other level,
// a proxy line or bare text ends such a run: it is a boundary. When a hub
// start follows a run of warnings directly, those warnings belong to the
// starting hub (it logs its config warnings before announcing its
// version), and resetForStart replays them into the new run.
type preamble struct {
	calls []eventCall
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
	// Calls before prev can no longer precede a start directly.
	n := 0
	for _, c := range p.calls {
		if c.gline > p.prev {
			p.calls[n] = c
			n++
		}
	}
	p.calls = p.calls[:n]
}

// record remembers a warning event.
func (p *preamble) record(c eventCall) {
	if len(p.calls) >= maxPreamble {
		copy(p.calls, p.calls[1:])
		p.calls = p.calls[:len(p.calls)-1]
	}
	p.calls = append(p.calls, c)
}

// before returns the recorded warnings that directly precede the start
// record at global line start.
func (p *preamble) before(start int64) []eventCall {
	from := p.last
	if from == start {
		from = p.prev
	}
	var out []eventCall
	for _, c := range p.calls {
		if c.gline > from && c.gline < start {
			out = append(out, c)
		}
	}
	return out
}
