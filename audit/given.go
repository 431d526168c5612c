package audit

import (
	"github.com/hubaudit/hubaudit/deploy"
)

// givenInputs are the inputs of opts as the command line gave them (call
// it before .hubaudit.yaml and the deployment kind fill in the rest).
func givenInputs(opts Options) deploy.Given {
	return deploy.Given{
		Dir: opts.Dir, Kind: opts.Kind, Configs: append([]string(nil), opts.ConfigFiles...), DB: opts.DBURL,
		HubEnv: opts.HubEnv, UserEnvs: append([]string(nil), opts.UserEnvs...), Logs: append([]string(nil), opts.Logs...),
		ChartVersion: opts.ChartVersion, Checks: opts.Checks,
	}
}
