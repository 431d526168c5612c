package audit

import (
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// verdict decides the report's verdict. Errors decide first: any error
// (against a baseline, any error that is new since it: losses and what the
// upgrade broke) makes pre not_ready and post failed. Otherwise the
// positive verdict is only given when every input it rests on was read
// (report.Missing is empty); else it is incomplete.
func verdict(mode rules.Mode, rep *report.Report) string {
	bad, good := report.VerdictNotReady, report.VerdictReady
	if mode == rules.ModePost {
		bad, good = report.VerdictFailed, report.VerdictVerified
	}
	if len(rep.DecidingErrors()) > 0 {
		return bad
	}
	if len(rep.Missing) > 0 {
		return report.VerdictIncomplete
	}
	return good
}
