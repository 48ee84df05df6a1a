// Package provider implements the ghsecrets Terraform provider: GitHub
// organization secrets of every kind, whose state holds metadata only.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
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
	envOwner             = "GITHUB_OWNER"
	envToken             = "GITHUB_TOKEN"
	envGHToken           = "GH_TOKEN"
	envBaseURL           = "GITHUB_BASE_URL"
	envAppID             = "GITHUB_APP_ID"
	envAppInstallationID = "GITHUB_APP_INSTALLATION_ID"
	envAppPEMFile        = "GITHUB_APP_PEM_FILE"
	envCACertFile        = "GITHUB_CA_CERT_FILE"

	defaultMaxRetries       = 4
	defaultMaxRateLimitWait = 15 * time.Minute
)

var (
	_ provider.Provider                   = (*ghsecretsProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*ghsecretsProvider)(nil)
	_ provider.ProviderWithListResources  = (*ghsecretsProvider)(nil)
)

// ownerPattern accepts GitHub organization logins (GHES also allows underscores).
var ownerPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$`)

// New returns a constructor for the provider, as the plugin server expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &ghsecretsProvider{version: version, getenv: os.Getenv}
	}
}

type ghsecretsProvider struct {
	version string
	// getenv reads the environment variables that settings fall back to:
	// os.Getenv, or in tests an environment of the test's own.
	getenv func(string) string
}

type providerModel struct {
	Owner            types.String  `tfsdk:"owner"`
	Token            types.String  `tfsdk:"token"`
	BaseURL          types.String  `tfsdk:"base_url"`
	AppAuth          *appAuthModel `tfsdk:"app_auth"`
	CACertFile       types.String  `tfsdk:"ca_cert_file"`
	CACertPEM        types.String  `tfsdk:"ca_cert_pem"`
	MaxRetries       types.Int64   `tfsdk:"max_retries"`
	MaxRateLimitWait types.String  `tfsdk:"max_rate_limit_wait"`
}

type appAuthModel struct {
	ID             types.String `tfsdk:"id"`
	InstallationID types.String `tfsdk:"installation_id"`
	PEMFile        types.String `tfsdk:"pem_file"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *client.Client
	owner  string
	// appAuth: the client authenticates as a GitHub App installation.
	appAuth bool
	// claims are what the resources planned in this run manage.
	claims *claims
}

func (p *ghsecretsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ghsecrets"
	resp.Version = p.version
}

func (p *ghsecretsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages GitHub secrets of every kind (Actions, Dependabot, Codespaces, " +
			"Copilot coding agent) in organizations, repositories and environments and the repositories that may use " +
			"them, the token's user's Codespaces secrets, and organizations' Dependabot private registries, " +
			"on github.com and GitHub Enterprise Server. Secret values are sealed on the client for the " +
			"scope's public key and arrive through write-only attributes, so state and plan hold metadata only.",
		Attributes: map[string]schema.Attribute{
			"owner": schema.StringAttribute{
				MarkdownDescription: "Login of the GitHub organization whose secrets (and private registries) are managed. " +
					"Falls back to the `" + envOwner + "` environment variable. The user Codespaces secrets " +
					"(`ghsecrets_user_codespaces_*`) do not use it: they are the token's user's, whom GitHub names by the token.",
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
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("app_auth")),
				},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Root of the GitHub REST API. Defaults to `https://api.github.com/`; falls back to `" +
					envBaseURL + "`. For GitHub Enterprise Server, the server's address in any usual form " +
					"(`https://ghe.example.com`, `https://ghe.example.com/api/v3/`) is served under `/api/v3/`; " +
					"for GitHub Enterprise Cloud with data residency, `https://SUBDOMAIN.ghe.com` maps to " +
					"`https://api.SUBDOMAIN.ghe.com/`. Plain `http://` is accepted only for loopback addresses.",
				Optional: true,
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file with the certificate authorities that signed a GitHub Enterprise Server's " +
					"certificate, trusted in addition to the system's roots. Falls back to `" + envCACertFile + "`. " +
					"TLS 1.2 is the minimum version either way.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("ca_cert_pem")),
				},
			},
			"ca_cert_pem": schema.StringAttribute{
				MarkdownDescription: "The same certificates as `ca_cert_file`, given as PEM text (for example from a data source).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How often a request that failed with a server error (5xx) or a broken "+
					"connection is retried, with exponential backoff and jitter. Default %d; 0 turns retries off. "+
					"Rate-limit answers are waited out separately (see `max_rate_limit_wait`).", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 10)},
			},
			"max_rate_limit_wait": schema.StringAttribute{
				MarkdownDescription: "Longest one request waits, in all, for GitHub's rate limits, as a duration such as `\"5m\"`: " +
					"for the primary limit to reset, and out the pauses that secondary-limit rejections ask for " +
					"(`Retry-After`, or a minute and longer when the server gives no time or its time proved too short). " +
					"A request that would have to wait longer fails with GitHub's rejection and when to retry. Default `\"15m\"`. " +
					"The provider also paces its requests to GitHub's documented secondary limits, which costs no retries.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
		},
		Blocks: map[string]schema.Block{
			"app_auth": schema.SingleNestedBlock{
				MarkdownDescription: "Authenticate as a GitHub App installation instead of with `token`. The provider signs a " +
					"JSON Web Token with the app's private key, exchanges it for an installation token, and renews that " +
					"token before it expires and when GitHub refuses it, so long applies keep working. An empty block takes every value from the " +
					"environment. The app needs the organization permission \"Secrets\" (read and write) for Actions " +
					"secrets and \"Dependabot secrets\" for Dependabot secrets; GitHub does not let Apps manage " +
					"organization Codespaces secrets (configure a token for those); " +
					"`ghsecrets_org_repositories` also needs \"Metadata\" (read).",
				Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{
						MarkdownDescription: "The app's id (or its client id). Falls back to `" + envAppID + "`.",
						Optional:            true,
					},
					"installation_id": schema.StringAttribute{
						MarkdownDescription: "The id of the app's installation on the organization. Falls back to `" +
							envAppInstallationID + "`.",
						Optional: true,
						Validators: []validator.String{
							stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a positive number"),
						},
					},
					"pem_file": schema.StringAttribute{
						MarkdownDescription: "The app's private key: the PEM text itself (for example `file(\"app.pem\")`) " +
							"or the path of the PEM file. Falls back to `" + envAppPEMFile + "`.",
						Optional:  true,
						Sensitive: true,
					},
				},
			},
		},
	}
}

// ValidateConfig checks what is known at validate time (base_url, the CA
// file, the app key), so a typo fails before any request.
func (p *ghsecretsProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if known(cfg.BaseURL) {
		if _, err := client.NormalizeBaseURL(cfg.BaseURL.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid GitHub API Base URL",
				fmt.Sprintf("The provider's base_url cannot be used: %s.", err))
		}
	}
	if known(cfg.CACertFile) {
		if _, err := readCACertFile(cfg.CACertFile.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA Certificate File", err.Error())
		}
	}
	if known(cfg.CACertPEM) {
		if err := checkPEMCertificates([]byte(cfg.CACertPEM.ValueString())); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ca_cert_pem"), "Invalid CA Certificates", "The provider's ca_cert_pem "+err.Error()+".")
		}
	}
	if cfg.AppAuth != nil && known(cfg.AppAuth.PEMFile) {
		if _, err := loadAppKey(cfg.AppAuth.PEMFile.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("app_auth").AtName("pem_file"), "Invalid GitHub App Private Key", err.Error())
		}
	}
}

func (p *ghsecretsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	checkKnown := []settingValue{
		{path.Root("owner"), cfg.Owner}, {path.Root("token"), cfg.Token}, {path.Root("base_url"), cfg.BaseURL},
		{path.Root("ca_cert_file"), cfg.CACertFile}, {path.Root("ca_cert_pem"), cfg.CACertPEM},
		{path.Root("max_retries"), cfg.MaxRetries}, {path.Root("max_rate_limit_wait"), cfg.MaxRateLimitWait},
	}
	if app := cfg.AppAuth; app != nil {
		checkKnown = append(checkKnown,
			settingValue{path.Root("app_auth").AtName("id"), app.ID},
			settingValue{path.Root("app_auth").AtName("installation_id"), app.InstallationID},
			settingValue{path.Root("app_auth").AtName("pem_file"), app.PEMFile})
	}
	for _, a := range checkKnown {
		if a.value.IsUnknown() {
			resp.Diagnostics.AddAttributeError(a.at, "Unknown Provider Configuration Value",
				fmt.Sprintf("The provider attribute %s depends on a value that is known only after apply. "+
					"Set it from a value known at plan time, such as a variable or an environment variable.", a.at))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	owner := firstNonEmpty(cfg.Owner.ValueString(), p.getenv(envOwner))
	baseURL := firstNonEmpty(cfg.BaseURL.ValueString(), p.getenv(envBaseURL))
	if owner == "" {
		resp.Diagnostics.AddAttributeError(path.Root("owner"), "Missing GitHub Organization",
			"The provider needs the login of the organization whose secrets it manages. "+
				"Set the \"owner\" attribute in the provider block or the "+envOwner+" environment variable.")
	} else if !ownerPattern.MatchString(owner) {
		resp.Diagnostics.AddAttributeError(path.Root("owner"), "Invalid GitHub Organization",
			fmt.Sprintf("The organization %q (from the \"owner\" attribute or %s) is not a GitHub login: "+
				"use letters, digits, hyphens and underscores.", owner, envOwner))
	}

	clientCfg := client.Config{
		BaseURL:   baseURL,
		UserAgent: "terraform-provider-ghsecrets/" + p.version,
		Retry:     retryPolicy(cfg, &resp.Diagnostics),
	}
	if cfg.AppAuth != nil {
		clientCfg.App = appAuth(cfg.AppAuth, p.getenv, &resp.Diagnostics)
	} else {
		clientCfg.Token = firstNonEmpty(cfg.Token.ValueString(), p.getenv(envToken), p.getenv(envGHToken))
		if clientCfg.Token == "" {
			resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing GitHub Token",
				"The provider needs a token to call the GitHub API. Set the \"token\" attribute in the provider block "+
					"or the "+envToken+" (or "+envGHToken+") environment variable, or authenticate as a GitHub App with an app_auth block.")
		}
	}
	clientCfg.CACertPEM = caCertificates(cfg, p.getenv, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if providerLogsKept(p.getenv) {
		clientCfg.Logger = newAPILogger(clientCfg.Token)
	}

	c, err := client.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Provider Configuration",
			fmt.Sprintf("The GitHub client cannot be set up (check base_url or %s, app_auth and the CA certificates): %s.", envBaseURL, err))
		return
	}
	tflog.Debug(ctx, "configured GitHub client", map[string]any{
		"owner":    owner,
		"base_url": c.BaseURL().String(),
		"auth":     map[bool]string{true: "github app", false: "token"}[clientCfg.App != nil],
	})

	data := &providerData{client: c, owner: owner, appAuth: clientCfg.App != nil, claims: &claims{}}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

func (p *ghsecretsProvider) Resources(context.Context) []func() resource.Resource {
	out := append(append(kindResources(), scopeResources()...), func() resource.Resource { return &privateRegistryResource{} })
	return append(append(out, variableResources()...), orgVariableCompanions()...)
}

// ListResources are the list resources of every kind and scope and of
// private registries, for terraform query (Terraform 1.14 and later).
func (p *ghsecretsProvider) ListResources(context.Context) []func() list.ListResource {
	return append(secretListResources(), newPrivateRegistryListResource)
}

func (p *ghsecretsProvider) DataSources(context.Context) []func() datasource.DataSource {
	out := append(append(kindDataSources(), scopeDataSources()...), NewOrgRepositoriesDataSource,
		func() datasource.DataSource { return &privateRegistriesPublicKeyDataSource{} },
		func() datasource.DataSource { return &privateRegistriesDataSource{} })
	return append(out, variableDataSources()...)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
