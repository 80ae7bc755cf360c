//! Escapers for the places rendered values land. Each returns the value as
//! one token of its target syntax, or an error when no safe form exists.

/// One POSIX shell word: single-quoted where needed. NUL cannot be quoted.
pub fn shell_word(value: &str) -> Result<String, String> {
    shlex::try_quote(value)
        .map(|q| q.into_owned())
        .map_err(|_| format!("{value:?} cannot be passed to a shell (it holds a NUL byte)"))
}

/// A double-quoted scalar, valid in YAML and JSON alike (JSON strings are
/// YAML flow scalars), so the value can never open a key or a block.
pub fn yaml_scalar(value: &str) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// The inside of a double-quoted systemd assignment (`Environment="K=V"`):
/// backslash and quote escaped, `%` doubled so no specifier expands; a
/// newline would end the line and start a new directive, so it is refused.
pub fn systemd_value(value: &str) -> Result<String, String> {
    if value.contains(['\n', '\r', '\0']) {
        return Err(format!(
            "{value:?} cannot go into a systemd unit: it holds a line break"
        ));
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_stay_one_word() {
        assert_eq!(shell_word("plain").unwrap(), "plain");
        let evil = "x'; touch pwned; echo '";
        let quoted = shell_word(evil).unwrap();
        let back = shlex::split(&quoted).unwrap();
        assert_eq!(back, vec![evil.to_string()]);
        assert!(shell_word("a\0b").is_err());
    }

    #[test]
    fn yaml_scalars_cannot_open_keys() {
        let evil = "t3.small\"\n      IamInstanceProfile: \"AdminProfile";
        let quoted = yaml_scalar(evil).unwrap();
        assert!(!quoted.contains('\n'));
        let parsed: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(&format!("InstanceType: {quoted}\n")).unwrap();
        assert_eq!(parsed["InstanceType"].as_str(), Some(evil));
    }

    #[test]
    fn systemd_values_are_escaped_and_single_line() {
        assert_eq!(systemd_value(r#"a"b\c%d"#).unwrap(), r#"a\"b\\c%%d"#);
        assert!(systemd_value("a\nExecStartPre=/bin/evil").is_err());
    }
}
