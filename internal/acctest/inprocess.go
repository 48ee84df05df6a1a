package acctest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// NewCLIInProcess is a working directory whose commands reach providers
// served from this process, as terraform-plugin-testing serves them, but
// started once for all of the directory's commands rather than once per
// command: a test that drives the CLI itself (see the examples) pays for
// the commands its assertions need and no more. factories are keyed by the
// provider's type name ("ghsecrets"), as in a TestCase. Every command's
// output, state and saved plans are scanned for watched values by the CLI
// shim, and its output again by Run.
func NewCLIInProcess(t testing.TB, factories map[string]func() (tfprotov6.ProviderServer, error), config string, env ...string) *Workdir {
	t.Helper()
	reattach := map[string]any{}
	ctx, cancel := context.WithCancel(context.Background())
	var stopped []chan struct{}
	t.Cleanup(func() {
		cancel()
		for _, c := range stopped {
			<-c
		}
	})
	for name, factory := range factories {
		server, err := factory()
		if err != nil {
			t.Fatalf("provider %s: %v", name, err)
		}
		configs := make(chan *plugin.ReattachConfig, 1)
		closed := make(chan struct{})
		stopped = append(stopped, closed)
		go func() {
			_ = tf6server.Serve("registry.terraform.io/ghsecrets/"+name, func() tfprotov6.ProviderServer { return server },
				tf6server.WithDebug(ctx, configs, closed), tf6server.WithoutLogStderrOverride())
		}()
		c := <-configs
		for _, host := range []string{"registry.terraform.io", openTofuRegistry} {
			reattach[host+"/ghsecrets/"+name] = map[string]any{
				"Protocol": string(c.Protocol), "ProtocolVersion": c.ProtocolVersion, "Pid": c.Pid, "Test": true,
				"Addr": map[string]string{"Network": c.Addr.Network(), "String": c.Addr.String()},
			}
		}
	}
	raw, err := json.Marshal(reattach)
	if err != nil {
		t.Fatal(err)
	}
	return newWorkdir(t, "", config, append([]string{"TF_REATTACH_PROVIDERS=" + string(raw)}, env...))
}
