package provider

import (
	"os"
	"strings"
)

// The environment variables with which Terraform and OpenTofu keep a
// provider's log lines, and with which the plugin libraries set the level of
// each of the provider's loggers.
const (
	envLog             = "TF_LOG"
	envLogProvider     = "TF_LOG_PROVIDER"
	envAccLogPath      = "TF_ACC_LOG_PATH"
	envLogPathMask     = "TF_LOG_PATH_MASK"
	envLogSDK          = "TF_LOG_SDK"
	envLogSDKProto     = "TF_LOG_SDK_PROTO"
	envLogSDKFramework = "TF_LOG_SDK_FRAMEWORK"
)

// quietLogSettings is what to set in the provider process's environment, given
// that environment, so that the provider writes no log line that nobody keeps.
//
// The plugin libraries log every request at TRACE unless told a level (the
// framework a line per attribute, validator and plan modifier), and leave it
// to Terraform to keep or drop each line; Terraform and OpenTofu keep a
// provider's lines only when TF_LOG or TF_LOG_PROVIDER is set. Writing and
// parsing lines that are then dropped cost both processes about a third of a
// large plan's time. So, with neither set (nor the in-process log paths of
// terraform-plugin-testing), each library logger whose level is not given is
// set to OFF. Any log setting a user gives keeps every line as before.
// TF_LOG_SDK_PROTO_DATA_DIR does not depend on a level and is not touched.
func quietLogSettings(getenv func(string) string) map[string]string {
	for _, kept := range []string{envLog, envLogProvider, envAccLogPath, envLogPathMask} {
		if getenv(kept) != "" {
			return nil
		}
	}
	set := map[string]string{}
	for _, level := range []string{envLogSDK, envLogSDKProto, envLogSDKFramework} {
		if getenv(level) == "" {
			set[level] = "OFF"
		}
	}
	// The provider's own logger (tflog) reads TF_LOG_PROVIDER, which is unset
	// here: in this process only, it says OFF.
	set[envLogProvider] = "OFF"
	return set
}

// QuietLogs applies quietLogSettings to this process's environment; call it
// before serving the provider.
func QuietLogs() error {
	for k, v := range quietLogSettings(os.Getenv) {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// providerLogsKept reports whether the provider's own log lines go anywhere:
// not when TF_LOG_PROVIDER says OFF, as QuietLogs sets it when Terraform keeps
// none. Then the client is given no logger, and a request costs no log line
// to build, mask and drop.
func providerLogsKept(getenv func(string) string) bool {
	return !strings.EqualFold(getenv(envLogProvider), "off")
}
