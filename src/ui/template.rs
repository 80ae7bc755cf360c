//! `--format` templates in the Go-template style docker-machine users know
//! (`{{.Name}}`, `{{json .Engine}}`, `{{.Driver.Host.Ip}}`), rendered with
//! tera. Field names match case-insensitively and without underscores, so
//! `{{.EngineVersion}}` finds `engine_version`; `\t` and `\n` are escapes.

use regex::Regex;
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
#[error("invalid --format {format:?}: {detail}")]
pub struct TemplateError {
    format: String,
    detail: String,
}

/// The key used for the field in the context: lower case, no underscores.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The value with every object key folded, recursively.
fn folded(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (fold(k), folded(v)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(folded).collect()),
        other => other.clone(),
    }
}

/// Translate a Go-style template into tera.
fn translate(format: &str) -> String {
    let action = Regex::new(r"\{\{\s*(json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}").expect("static regex");
    let format = format.replace("\\t", "\t").replace("\\n", "\n");
    action
        .replace_all(&format, |caps: &regex::Captures| {
            let path = &caps[2];
            let expr = if path.is_empty() {
                "root".to_string()
            } else {
                format!(
                    "root.{}",
                    path.split('.').map(fold).collect::<Vec<_>>().join(".")
                )
            };
            if caps.get(1).is_some() {
                format!("{{{{ {expr} | json_encode() }}}}")
            } else {
                format!("{{{{ {expr} }}}}")
            }
        })
        .into_owned()
}

/// A compiled `--format`.
pub struct Template {
    tera: tera::Tera,
    format: String,
}

impl Template {
    pub fn new(format: &str) -> Result<Template, TemplateError> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        tera.add_raw_template("format", &translate(format))
            .map_err(|e| TemplateError {
                format: format.into(),
                detail: e.to_string(),
            })?;
        Ok(Template {
            tera,
            format: format.into(),
        })
    }

    pub fn render(&self, value: &Value) -> Result<String, TemplateError> {
        let mut context = tera::Context::new();
        context.insert("root", &folded(value));
        self.tera.render("format", &context).map_err(|e| {
            let mut detail = e.to_string();
            if let Some(source) = std::error::Error::source(&e) {
                detail = format!("{detail}: {source}");
            }
            TemplateError {
                format: self.format.clone(),
                detail,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_style_fields_and_json() {
        let value =
            json!({"name": "dev", "engine_version": "1.0", "driver": {"host": {"ip": "10.0.0.2"}}});
        let t = Template::new("{{.Name}}\\t{{.EngineVersion}} {{.Driver.Host.IP}}").unwrap();
        assert_eq!(t.render(&value).unwrap(), "dev\t1.0 10.0.0.2");
        let t = Template::new("{{json .Driver}}").unwrap();
        assert_eq!(t.render(&value).unwrap(), r#"{"host":{"ip":"10.0.0.2"}}"#);
    }

    #[test]
    fn unknown_fields_are_errors() {
        let t = Template::new("{{.Nope}}").unwrap();
        assert!(
            t.render(&json!({"name": "x"}))
                .unwrap_err()
                .to_string()
                .contains("--format")
        );
    }
}
