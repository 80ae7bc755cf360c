//! Everything machinectl prints goes through [`Printer`]: results on
//! stdout, progress and messages on stderr. On a terminal, steps are
//! indicatif spinners; elsewhere (CI, pipes) they are plain lines, and
//! nothing ever prompts. Spinners of work that runs at once (several
//! machines) share one `MultiProgress`, so each running step keeps its own
//! line and messages print above them; without a terminal the lines of a
//! [`Printer::prefixed`] printer start with the machine's name.

mod exit;
pub mod template;

pub use exit::{report_error, run_to_exit, usage_error};

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

#[derive(Clone)]
pub struct Printer {
    inner: Arc<Inner>,
    /// Names whose work this printer reports when several run at once.
    prefix: Option<Arc<str>>,
    /// Told each step's name as it starts (see [`Printer::noting_steps`]).
    step_sink: Option<StepSink>,
}

/// Where a printer notes the steps it starts: create keeps the step a
/// machine is at beside its record, so a create that died shows where.
pub type StepSink = Arc<dyn Fn(&str) + Send + Sync>;

struct Inner {
    debug: bool,
    quiet: bool,
    /// stderr is a terminal: spinners and prompts are allowed.
    tty: bool,
    /// Every spinner of this run, one line each; lines printed while
    /// spinners run go above them.
    multi: MultiProgress,
}

impl Printer {
    pub fn new(debug: bool, quiet: bool) -> Printer {
        Printer {
            inner: Arc::new(Inner {
                debug,
                quiet,
                tty: std::io::stderr().is_terminal() && std::io::stdin().is_terminal(),
                multi: MultiProgress::new(),
            }),
            prefix: None,
            step_sink: None,
        }
    }

    /// The same printer; each step it starts is also told to `sink`.
    pub fn noting_steps(&self, sink: StepSink) -> Printer {
        Printer {
            step_sink: Some(sink),
            ..self.clone()
        }
    }

    /// The same printer, with progress and messages marked `[name]`.
    pub fn prefixed(&self, name: &str) -> Printer {
        Printer {
            inner: self.inner.clone(),
            prefix: Some(Arc::from(format!("[{name}] "))),
            step_sink: self.step_sink.clone(),
        }
    }

    fn marked(&self, text: &str) -> String {
        format!("{}{text}", self.prefix.as_deref().unwrap_or(""))
    }

    /// A line on stderr, above any spinners that run.
    fn line(&self, text: &str) {
        eprintln_above(&self.inner.multi, self.inner.tty, text);
    }

    /// Whether the user can be asked a question.
    pub fn interactive(&self) -> bool {
        self.inner.tty
    }

    pub fn debug_enabled(&self) -> bool {
        self.inner.debug
    }

    /// A result line on stdout.
    pub fn out(&self, line: impl AsRef<str>) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", line.as_ref());
    }

    /// Result text on stdout, as is.
    pub fn out_raw(&self, text: impl AsRef<str>) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_ref().as_bytes());
        let _ = stdout.flush();
    }

    /// A message for the user on stderr (silenced by --quiet).
    pub fn info(&self, line: impl AsRef<str>) {
        if !self.inner.quiet {
            self.line(&self.marked(line.as_ref()));
        }
    }

    /// A warning on stderr; it often carries an error's text, so secrets are redacted.
    pub fn warn(&self, line: impl AsRef<str>) {
        self.line(&format!("warning: {}", redact(&self.marked(line.as_ref()))));
    }

    /// Only with --debug; secrets are redacted.
    pub fn debug(&self, line: impl AsRef<str>) {
        if self.inner.debug {
            self.line(&format!("debug: {}", redact(line.as_ref())));
        }
    }

    /// Start a named step; finish it with [`Step::done`] (dropping it marks failure).
    pub fn step(&self, name: impl Into<String>) -> Step {
        let name = name.into();
        if let Some(sink) = &self.step_sink {
            sink(&name);
        }
        let name = self.marked(&name);
        let bar = if self.inner.tty && !self.inner.quiet {
            let bar = self.inner.multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("static template"),
            );
            bar.set_message(name.clone());
            bar.enable_steady_tick(Duration::from_millis(100));
            Some(bar)
        } else {
            if !self.inner.quiet {
                eprintln!("• {name} …");
            }
            None
        };
        Step {
            name,
            started: Instant::now(),
            bar,
            multi: self.inner.multi.clone(),
            tty: self.inner.tty,
            quiet: self.inner.quiet,
            finished: false,
        }
    }
}

pub struct Step {
    name: String,
    started: Instant,
    bar: Option<ProgressBar>,
    multi: MultiProgress,
    tty: bool,
    quiet: bool,
    finished: bool,
}

/// Print a line on stderr; on a terminal, above the spinners that run.
fn eprintln_above(multi: &MultiProgress, tty: bool, text: &str) {
    if tty {
        multi.suspend(|| eprintln!("{text}"));
    } else {
        eprintln!("{text}");
    }
}

impl Step {
    fn finish(&mut self, mark: &str, note: Option<&str>) {
        self.finished = true;
        let secs = self.started.elapsed().as_secs_f64();
        let note = note.map(|n| format!(": {n}")).unwrap_or_default();
        let line = format!("{mark} {}{note} ({secs:.1}s)", self.name);
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        if !self.quiet {
            eprintln_above(&self.multi, self.tty, &line);
        }
    }

    pub fn done(mut self) {
        self.finish("✓", None);
    }

    /// Finish with a short note ("already installed").
    pub fn done_with(mut self, note: &str) {
        self.finish("✓", Some(note));
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if !self.finished {
            self.finish("✗", None);
        }
    }
}

/// `text` on one line: control characters (a line break a parser quotes
/// from its input) written as escapes, so an error echoing bad input stays
/// one line, whole, wherever it is printed (an error line, an `ls` cell).
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// An error and all its sources, joined with ": " (libraries that hide the
/// useful part a level or two down: reqwest's TLS alerts, tera's parse errors).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Remove key material from text meant for logs.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        if line.contains("-----BEGIN") && line.contains("PRIVATE KEY") {
            in_block = true;
            out.push_str("[redacted private key]\n");
        } else if in_block {
            if line.contains("-----END") {
                in_block = false;
            }
        } else {
            out.push_str(line);
        }
    }
    redact_tokens(&out)
}

/// Swarm join tokens, kubeadm bootstrap tokens, and the values of
/// credential variables, masked in a line of text.
fn redact_tokens(text: &str) -> String {
    static TOKENS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"SWMTKN-1-[0-9A-Za-z-]+|\b[a-z0-9]{6}\.[a-z0-9]{16}\b")
            .expect("static regex")
    });
    let mut out = TOKENS.replace_all(text, "[redacted token]").into_owned();
    // Each driver names its provider's credential variables.
    for name in crate::drivers::secret_variables() {
        if let Ok(value) = std::env::var(name)
            && value.len() >= 8
        {
            out = out.replace(&value, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_private_keys() {
        // PKCS#8 (the TLS keys), OpenSSH (the machines' SSH keys) and the older forms.
        for kind in ["", "OPENSSH ", "RSA ", "EC ", "ENCRYPTED "] {
            let text = format!(
                "before\n-----BEGIN {kind}PRIVATE KEY-----\nMIIsecret\n-----END {kind}PRIVATE KEY-----\nafter\n"
            );
            let out = super::redact(&text);
            assert!(!out.contains("MIIsecret"), "{kind}: {out}");
            assert!(out.contains("before") && out.contains("after"), "{out}");
        }
    }

    #[test]
    fn redacts_join_and_bootstrap_tokens() {
        let text = "docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.2:2377; kubeadm join --token abcdef.0123456789abcdef";
        let out = super::redact(text);
        assert!(!out.contains("SWMTKN-1-3pu6"), "{out}");
        assert!(!out.contains("abcdef.0123456789abcdef"), "{out}");
        assert!(out.contains("docker swarm join --token [redacted token] 10.0.0.2:2377"));
    }
}
