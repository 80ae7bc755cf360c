//! Tests that could touch an address an emulator handed out run in a network
//! namespace of their own with only loopback (DESIGN.md, "Network safety"):
//! the test re-runs itself under `unshare --net`, and starts moto inside.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = "MACHINECTL_IT_ISOLATED";

/// Why isolated emulator tests cannot run here, if they cannot.
pub fn unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("isolated network namespaces need root".into());
    }
    if crate::common::which("unshare").is_none() {
        return Some("unshare (util-linux) is not installed".into());
    }
    if moto_server().is_none() {
        return Some(
            "moto_server is not installed: run .ci/setup (it makes .venv with moto)".into(),
        );
    }
    None
}

/// Skip with a printed reason, except in CI.
#[macro_export]
macro_rules! require_isolation {
    () => {
        $crate::require!(
            $crate::isolated::unavailable(),
            "be able to run isolated emulator tests"
        )
    };
}

pub fn moto_server() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        return Some(PathBuf::from(path));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    if venv.is_file() {
        return Some(venv);
    }
    crate::common::which("moto_server")
}

/// Run the rest of the calling test inside a fresh network namespace.
/// Returns true in the isolated child (go on with the test), false in the
/// parent after the child passed (the parent has nothing left to do).
pub fn enter(test: &str) -> bool {
    if std::env::var_os(MARKER).is_some() {
        let up = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap();
        assert!(up.success());
        let links = Command::new("ip")
            .args(["-o", "link", "show"])
            .output()
            .unwrap();
        let links = String::from_utf8_lossy(&links.stdout);
        assert_eq!(
            links.lines().count(),
            1,
            "an isolated namespace has only loopback: {links}"
        );
        // Tell the parent which test this child really is.
        if let Some(ran) = std::env::var_os(RAN) {
            std::fs::write(ran, test).expect("note the test that ran");
        }
        return true;
    }
    // The child names the test it ran in this file: a filter that matched
    // nothing (a renamed test) runs zero tests and exits 0, which must fail.
    let ran = tempfile::NamedTempFile::new().expect("temp file");
    let status = Command::new("unshare")
        .arg("--net")
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(MARKER, "1")
        .env(RAN, ran.path())
        .status()
        .expect("run unshare");
    assert!(
        status.success(),
        "the isolated run of {test} failed (its output is above)"
    );
    let noted = std::fs::read_to_string(ran.path()).unwrap_or_default();
    assert_eq!(
        noted, test,
        "the isolated run of {test} ran no such test: is the name given to isolate! the test's own?"
    );
    false
}

/// Where the isolated child notes the test it ran.
const RAN: &str = "MACHINECTL_IT_ISOLATED_RAN";

/// A moto server on loopback, stopped on drop.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    pub fn start(extra_env: &[(&str, &str)]) -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(moto_server().expect("moto_server"));
        command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in extra_env {
            command.env(k, v);
        }
        let child = command.spawn().expect("start moto_server");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// SDK configuration for the test's own checks against this moto.
    pub fn sdk_config(&self) -> aws_config::SdkConfig {
        let creds = aws_sdk_ec2::config::Credentials::new("testing", "testing", None, None, "test");
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(creds),
            )
            .endpoint_url(&self.endpoint)
            .build()
    }

    /// An EC2 client for the test's own checks.
    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config())
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Environment for machinectl talking to moto: test credentials, no
/// instance metadata lookups, no user AWS files.
pub fn aws_env(command: &mut Command) {
    command
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT");
}
