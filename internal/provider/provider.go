// Package provider implements the ghsecrets Terraform provider: organization
// Actions secrets whose state holds metadata only.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

const (
	envOwner   = "GITHUB_OWNER"
	envToken   = "GITHUB_TOKEN"
	envGHToken = "GH_TOKEN"
	envBaseURL = "GITHUB_BASE_URL"
)

var (
	_ provider.Provider                   = (*ghsecretsProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*ghsecretsProvider)(nil)
)

// ownerPattern accepts GitHub organization logins (GHES also allows underscores).
var ownerPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$`)

// New returns a constructor for the provider, as the plugin server expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &ghsecretsProvider{version: version}
	}
}

type ghsecretsProvider struct {
	version string
}

type providerModel struct {
	Owner   types.String `tfsdk:"owner"`
	Token   types.String `tfsdk:"token"`
	BaseURL types.String `tfsdk:"base_url"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *client.Client
	owner  string
}

func (p *ghsecretsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ghsecrets"
	resp.Version = p.version
}

func (p *ghsecretsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages GitHub organization Actions secrets and the repositories that may use them, " +
			"on github.com and GitHub Enterprise Server. Secret values are sealed on the client for the " +
			"organization's public key and arrive through write-only attributes, so state and plan hold metadata only.",
		Attributes: map[string]schema.Attribute{
			"owner": schema.StringAttribute{
				MarkdownDescription: "Login of the GitHub organization whose secrets are managed. " +
					"Falls back to the `" + envOwner + "` environment variable.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(ownerPattern,
						"must be a GitHub organization login: letters, digits, hyphens and underscores, not starting or ending with a hyphen"),
				},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Token used to call the GitHub API: a fine-grained token with the organization " +
					"\"Secrets\" permission (read and write), a classic token with `admin:org`, or an installation token. " +
					"Falls back to `" + envToken + "`, then `" + envGHToken + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Root of the GitHub REST API. Defaults to `https://api.github.com/`; falls back to `" +
					envBaseURL + "`. For GitHub Enterprise Server, the server's address in any usual form " +
					"(`https://ghe.example.com`, `https://ghe.example.com/api/v3/`) is served under `/api/v3/`; " +
					"for GitHub Enterprise Cloud with data residency, `https://SUBDOMAIN.ghe.com` maps to " +
					"`https://api.SUBDOMAIN.ghe.com/`. Plain `http://` is accepted only for loopback addresses.",
				Optional: true,
			},
		},
	}
}

// ValidateConfig checks the literal base_url early, so a typo fails at validate.
func (p *ghsecretsProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.BaseURL.IsNull() || cfg.BaseURL.IsUnknown() {
		return
	}
	if _, err := client.NormalizeBaseURL(cfg.BaseURL.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid GitHub API Base URL",
			fmt.Sprintf("The provider's base_url cannot be used: %s.", err))
	}
}

func (p *ghsecretsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	for _, attr := range []struct {
		name  string
		value types.String
	}{{"owner", cfg.Owner}, {"token", cfg.Token}, {"base_url", cfg.BaseURL}} {
		if attr.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr.name), "Unknown Provider Configuration Value",
				fmt.Sprintf("The provider attribute %q depends on a value that is known only after apply. "+
					"Set it from a value known at plan time, such as a variable or an environment variable.", attr.name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	owner := firstNonEmpty(cfg.Owner.ValueString(), os.Getenv(envOwner))
	token := firstNonEmpty(cfg.Token.ValueString(), os.Getenv(envToken), os.Getenv(envGHToken))
	baseURL := firstNonEmpty(cfg.BaseURL.ValueString(), os.Getenv(envBaseURL))

	if owner == "" {
		resp.Diagnostics.AddAttributeError(path.Root("owner"), "Missing GitHub Organization",
			"The provider needs the login of the organization whose secrets it manages. "+
				"Set the \"owner\" attribute in the provider block or the "+envOwner+" environment variable.")
	} else if !ownerPattern.MatchString(owner) {
		resp.Diagnostics.AddAttributeError(path.Root("owner"), "Invalid GitHub Organization",
			fmt.Sprintf("The organization %q (from the \"owner\" attribute or %s) is not a GitHub login: "+
				"use letters, digits, hyphens and underscores.", owner, envOwner))
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing GitHub Token",
			"The provider needs a token to call the GitHub API. Set the \"token\" attribute in the provider block "+
				"or the "+envToken+" (or "+envGHToken+") environment variable.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	c, err := client.New(client.Config{
		BaseURL:   baseURL,
		Token:     token,
		UserAgent: "terraform-provider-ghsecrets/" + p.version,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid GitHub API Base URL",
			fmt.Sprintf("The base URL (from the \"base_url\" attribute or %s) cannot be used: %s.", envBaseURL, err))
		return
	}
	tflog.Debug(ctx, "configured GitHub client", map[string]any{
		"owner":    owner,
		"base_url": c.BaseURL().String(),
	})

	data := &providerData{client: c, owner: owner}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *ghsecretsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewOrgActionsSecretResource,
		NewOrgActionsSecretRepositoriesResource,
	}
}

func (p *ghsecretsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOrgActionsPublicKeyDataSource,
		NewOrgActionsSecretsDataSource,
	}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
