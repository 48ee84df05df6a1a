// Command floor serves the provider's floor twin (provider.NewFloor) for
// the benchmark: the organization secret types with their schema, identity
// and plan modifiers and no API behind them.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/provider"
)

func main() {
	// As the provider does: no log line that Terraform would drop.
	if err := provider.QuietLogs(); err != nil {
		log.Fatal(err.Error())
	}
	err := providerserver.Serve(context.Background(), provider.NewFloor("floor"), providerserver.ServeOpts{
		Address: "registry.terraform.io/ghsecrets/ghsecrets",
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
