//! The image cache (`cache/` in the store): the publisher's cloud image,
//! checked against the SHA256SUMS published beside it.
//!
//! A cached file whose SHA-256 matches is reused without downloading; one
//! that does not (damaged, or the publisher has a newer image) is deleted
//! and fetched again. The SHA-256 a file matched with is kept beside it
//! (`NAME.sha256`), so a create without network still uses an unchanged
//! cached image. A download goes to
//! `NAME.part` and resumes with an HTTP Range request after a cut (up to
//! [`ATTEMPTS`] tries); a finished download that does not match is deleted,
//! never kept. Progress is an indicatif bar on a terminal and plain lines
//! (every 10 %) otherwise. One lock file per image keeps two creates from
//! downloading the same file at once.

use std::fs::{self, File, OpenOptions};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use machinectl_driver_api::retry::Backoff;
use machinectl_driver_api::{DriverError, Result};
use sha2::{Digest, Sha256};

use crate::checked::ImageUrl;

/// Tries per download (each resumes where the last one was cut).
pub const ATTEMPTS: u32 = 5;

/// The SHA-256 SHA256SUMS gives for `name` (`HEX *NAME` or `HEX  NAME`).
pub fn expected_sum(sums: &str, name: &str) -> Option<String> {
    sums.lines().find_map(|line| {
        let (hex, file) = line.trim().split_once(char::is_whitespace)?;
        let file = file.trim_start().trim_start_matches('*');
        (file == name && hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| hex.to_ascii_lowercase())
    })
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn io(what: String) -> impl FnOnce(std::io::Error) -> DriverError {
    move |e| DriverError::io(what, e)
}

/// Makes `dir` (0700) if it is missing.
fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(format!("make the image cache {}", dir.display())))
}

/// Download progress: a bar on a terminal, a line every 10 % elsewhere.
struct Progress {
    name: String,
    bar: Option<ProgressBar>,
    total: u64,
    decile: u64,
}

impl Progress {
    fn new(name: &str, done: u64, total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(format!("Downloading {name}"));
            bar.set_position(done);
            bar
        });
        if bar.is_none() {
            let mib = |b: u64| b / (1 << 20);
            if done > 0 {
                eprintln!("Resuming {name} at {} MiB of {} MiB", mib(done), mib(total));
            } else {
                eprintln!("Downloading {name} ({} MiB)", mib(total));
            }
        }
        Progress {
            name: name.into(),
            bar,
            total,
            decile: done.saturating_mul(10).checked_div(total).unwrap_or(0),
        }
    }

    fn at(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            return;
        }
        let decile = done.saturating_mul(10).checked_div(self.total).unwrap_or(0);
        if decile > self.decile {
            self.decile = decile;
            eprintln!("Downloading {}: {}%", self.name, decile * 10);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(60))
        .user_agent(concat!("machinectl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DriverError::Other(format!("HTTP client: {e}")))
}

async fn fetch_sums(client: &reqwest::Client, url: &ImageUrl) -> Result<String> {
    let sums_url = url.sums_url();
    let refused = |why: String| {
        DriverError::Other(format!(
            "cannot read {sums_url} ({why}): the image is checked against its publisher's SHA256SUMS; give a URL published with one, or a local file with --virtualbox-image-path"
        ))
    };
    let resp = client
        .get(&sums_url)
        .send()
        .await
        .map_err(|e| refused(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(refused(format!("HTTP {}", resp.status().as_u16())));
    }
    resp.text().await.map_err(|e| refused(e.to_string()))
}

/// The image `url` names, from the cache when it is there and whole, else
/// downloaded into it and verified.
pub async fn cached(url: &ImageUrl, cache: &Path) -> Result<PathBuf> {
    private_dir(cache)?;
    let name = url.file_name();
    let _lock = exclusive(&cache.join(format!("{name}.lock"))).await?;
    let path = cache.join(name);
    let verified = cache.join(format!("{name}.sha256"));
    let client = client()?;
    let sums = match fetch_sums(&client, url).await {
        Ok(sums) => sums,
        Err(unreachable) => return offline(&path, &verified, unreachable).await,
    };
    let expected = expected_sum(&sums, name).ok_or_else(|| {
        DriverError::Other(format!(
            "{} lists no {name}: check --virtualbox-image-url",
            url.sums_url()
        ))
    })?;
    if path.is_file() {
        if hash(&path).await? == expected {
            note_verified(&verified, &expected);
            return Ok(path);
        }
        eprintln!(
            "The cached {name} does not match SHA256SUMS (a newer image was published, or the file is damaged): fetching it again"
        );
        fs::remove_file(&path).map_err(io(format!("remove {}", path.display())))?;
    }
    let part = cache.join(format!("{name}.part"));
    download(&client, url, &part).await?;
    let got = hash(&part).await?;
    if got != expected {
        let _ = fs::remove_file(&part);
        return Err(DriverError::Other(format!(
            "the downloaded {name} does not match SHA256SUMS (expected {expected}, got {got}): the bad file was removed; try again, or check --virtualbox-image-url"
        )));
    }
    fs::rename(&part, &path).map_err(io(format!("keep {}", path.display())))?;
    note_verified(&verified, &expected);
    Ok(path)
}

/// Remember the SHA-256 a cached image matched SHA256SUMS with.
fn note_verified(verified: &Path, sum: &str) {
    // Only an offline create reads it; failing to write it costs nothing else.
    let _ = fs::write(verified, format!("{sum}\n"));
}

/// Without the publisher's SHA256SUMS (offline): the cached image, when it
/// still has the SHA-256 it matched SHA256SUMS with when it was fetched.
async fn offline(path: &Path, verified: &Path, unreachable: DriverError) -> Result<PathBuf> {
    let Ok(sum) = fs::read_to_string(verified) else {
        return Err(unreachable);
    };
    if !path.is_file() || hash(path).await? != sum.trim() {
        return Err(unreachable);
    }
    eprintln!(
        "SHA256SUMS could not be read: using the cached {}, which matched it when it was fetched",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    Ok(path.to_path_buf())
}

/// An exclusive lock on `path` (made if missing), held until dropped;
/// waits for another process that holds it.
pub async fn exclusive(path: &Path) -> Result<File> {
    let file = File::create(path).map_err(io(format!("lock {}", path.display())))?;
    tokio::task::spawn_blocking(move || file.lock().map(|_| file))
        .await
        .map_err(|e| DriverError::Other(format!("lock {}: {e}", path.display())))?
        .map_err(io(format!("lock {}", path.display())))
}

async fn hash(path: &Path) -> Result<String> {
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || sha256_file(&owned))
        .await
        .map_err(|e| DriverError::Other(format!("hash the image: {e}")))?
        .map_err(io(format!("read {}", path.display())))
}

/// Download into `part`, resuming after a cut, up to [`ATTEMPTS`] tries.
async fn download(client: &reqwest::Client, url: &ImageUrl, part: &Path) -> Result<()> {
    let mut backoff = Backoff::exponential(
        Duration::from_secs(1),
        Duration::from_secs(8),
        Duration::from_secs(120),
    );
    let mut last = String::new();
    for _ in 0..ATTEMPTS {
        match attempt(client, url, part).await {
            Ok(()) => return Ok(()),
            Err(Cut::Fatal(e)) => return Err(e),
            Err(Cut::Retry(why)) => last = why,
        }
        if !backoff.pause().await {
            break;
        }
    }
    Err(DriverError::Other(format!(
        "downloading {url} failed ({last}); what was fetched stays in the cache and the next create resumes it"
    )))
}

/// Why one try ended early.
enum Cut {
    Retry(String),
    Fatal(DriverError),
}

async fn attempt(client: &reqwest::Client, url: &ImageUrl, part: &Path) -> Result<(), Cut> {
    let have = fs::metadata(part).map(|m| m.len()).unwrap_or(0);
    let mut request = client.get(url.as_str());
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut resp = request
        .send()
        .await
        .map_err(|e| Cut::Retry(e.to_string()))?;
    let status = resp.status().as_u16();
    let resumed = match status {
        206 => true,
        200 => false,
        // The part is already whole: the checksum decides.
        416 if have > 0 => return Ok(()),
        500..=599 => return Err(Cut::Retry(format!("HTTP {status}"))),
        _ => {
            return Err(Cut::Fatal(DriverError::Other(format!(
                "{url} answered HTTP {status}: check --virtualbox-image-url"
            ))));
        }
    };
    let start = if resumed { have } else { 0 };
    let total = start + resp.content_length().unwrap_or(0);
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(part)
        .map_err(|e| Cut::Fatal(DriverError::io(format!("write {}", part.display()), e)))?;
    let mut progress = Progress::new(url.file_name(), start, total);
    let mut done = start;
    loop {
        match resp.chunk().await {
            Ok(Some(bytes)) => {
                file.write_all(&bytes).map_err(|e| {
                    Cut::Fatal(DriverError::io(format!("write {}", part.display()), e))
                })?;
                done += bytes.len() as u64;
                progress.at(done);
            }
            Ok(None) if total == start || done >= total => return Ok(()),
            Ok(None) => return Err(Cut::Retry(format!("cut at {done} of {total} bytes"))),
            Err(e) => return Err(Cut::Retry(format!("cut at {done} bytes: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_lines_of_both_forms() {
        let a = "a".repeat(64);
        let b = "B".repeat(64);
        let sums = format!(
            "{a} *noble-server-cloudimg-amd64.vmdk\n{b}  noble-server-cloudimg-amd64.img\n"
        );
        assert_eq!(
            expected_sum(&sums, "noble-server-cloudimg-amd64.vmdk"),
            Some(a)
        );
        assert_eq!(
            expected_sum(&sums, "noble-server-cloudimg-amd64.img"),
            Some("b".repeat(64))
        );
        assert_eq!(expected_sum(&sums, "other.img"), None);
        assert_eq!(expected_sum("xyz *f\n", "f"), None);
    }

    #[test]
    fn file_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, b"abc").unwrap();
        assert_eq!(
            sha256_file(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
