//! Templates: the files under templates/ are embedded in the binary at build
//! time and rendered with tera. A file of the same relative path under
//! `<store>/templates/` replaces the embedded one, so sites can adapt a
//! provisioning step without rebuilding.
//!
//! Every value a template interpolates goes through the filter for where it
//! lands, so no value can change the structure of the document around it:
//! `sh` (one POSIX shell word), `yaml` (a double-quoted YAML/JSON scalar) and
//! `systemd` (the inside of a quoted systemd assignment). Values are also
//! checked types where they enter; the filters are the second wall.

use std::path::Path;

use tera::{Context, Tera};

/// Every embedded template, by its path under templates/.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "provision/detect.sh",
        include_str!("../../templates/provision/detect.sh"),
    ),
    (
        "provision/install.sh.tera",
        include_str!("../../templates/provision/install.sh.tera"),
    ),
    (
        "provision/systemd-dropin.conf.tera",
        include_str!("../../templates/provision/systemd-dropin.conf.tera"),
    ),
    (
        "provision/engine-env.sh.tera",
        include_str!("../../templates/provision/engine-env.sh.tera"),
    ),
    (
        "provision/boot-install.sh.tera",
        include_str!("../../templates/provision/boot-install.sh.tera"),
    ),
    (
        "provision/restart-engine.sh.tera",
        include_str!("../../templates/provision/restart-engine.sh.tera"),
    ),
    (
        "aws/stack.yaml.tera",
        include_str!("../../templates/aws/stack.yaml.tera"),
    ),
    (
        "cloud-init/user-data.yaml.tera",
        include_str!("../../templates/cloud-init/user-data.yaml.tera"),
    ),
    (
        "bootstrap/swarm/engine.sh.tera",
        include_str!("../../templates/bootstrap/swarm/engine.sh.tera"),
    ),
    (
        "bootstrap/kubernetes/common.sh.tera",
        include_str!("../../templates/bootstrap/kubernetes/common.sh.tera"),
    ),
    (
        "bootstrap/kubernetes/control-plane.sh.tera",
        include_str!("../../templates/bootstrap/kubernetes/control-plane.sh.tera"),
    ),
    (
        "bootstrap/kubernetes/worker.sh.tera",
        include_str!("../../templates/bootstrap/kubernetes/worker.sh.tera"),
    ),
    (
        "bootstrap/ecs/agent.sh.tera",
        include_str!("../../templates/bootstrap/ecs/agent.sh.tera"),
    ),
    (
        "bootstrap/macros.tera",
        include_str!("../../templates/bootstrap/macros.tera"),
    ),
    (
        "bootstrap/consul/agent.sh.tera",
        include_str!("../../templates/bootstrap/consul/agent.sh.tera"),
    ),
    (
        "bootstrap/consul/registrator.sh.tera",
        include_str!("../../templates/bootstrap/consul/registrator.sh.tera"),
    ),
    (
        "bootstrap/mesos/zookeeper.sh.tera",
        include_str!("../../templates/bootstrap/mesos/zookeeper.sh.tera"),
    ),
    (
        "bootstrap/mesos/master.sh.tera",
        include_str!("../../templates/bootstrap/mesos/master.sh.tera"),
    ),
    (
        "bootstrap/mesos/agent.sh.tera",
        include_str!("../../templates/bootstrap/mesos/agent.sh.tera"),
    ),
    (
        "provision/upgrade.sh.tera",
        include_str!("../../templates/provision/upgrade.sh.tera"),
    ),
    (
        "provision/configure.sh.tera",
        include_str!("../../templates/provision/configure.sh.tera"),
    ),
];

pub mod escape;

/// A tera filter from a string escaper; a value with no safe form is an error.
fn filter(
    escaper: fn(&str) -> Result<String, String>,
) -> impl Fn(&tera::Value, &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value>
+ Sync
+ Send {
    move |value, _| {
        let text = match value {
            tera::Value::String(s) => s.clone(),
            tera::Value::Number(n) => n.to_string(),
            tera::Value::Bool(b) => b.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "cannot escape {other}: not a scalar"
                )));
            }
        };
        escaper(&text)
            .map(tera::Value::String)
            .map_err(tera::Error::msg)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {name}: {detail}")]
    Template { name: String, detail: String },
}

pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// The embedded templates, with overrides from `override_dir` when it exists.
    pub fn new(override_dir: Option<&Path>) -> Result<Renderer, RenderError> {
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, body) in EMBEDDED {
            let overridden = override_dir
                .map(|d| d.join(name))
                .and_then(|p| std::fs::read_to_string(p).ok());
            sources.push((
                name.to_string(),
                overridden.unwrap_or_else(|| body.to_string()),
            ));
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.register_filter("sh", filter(escape::shell_word));
        tera.register_filter("yaml", filter(escape::yaml_scalar));
        tera.register_filter("systemd", filter(escape::systemd_value));
        tera.add_raw_templates(sources)
            .map_err(|e| RenderError::Template {
                name: "templates".into(),
                detail: crate::ui::error_chain(&e),
            })?;
        Ok(Renderer { tera })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        self.tera
            .render(name, context)
            .map_err(|e| RenderError::Template {
                name: name.into(),
                detail: crate::ui::error_chain(&e),
            })
    }

    /// A template that takes no variables, as it is.
    pub fn raw(&self, name: &str) -> Result<String, RenderError> {
        self.render(name, &Context::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_template_parses() {
        Renderer::new(None).unwrap();
    }

    #[test]
    fn override_directory_replaces_a_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("provision")).unwrap();
        std::fs::write(dir.path().join("provision/detect.sh"), "echo custom\n").unwrap();
        let r = Renderer::new(Some(dir.path())).unwrap();
        assert_eq!(r.raw("provision/detect.sh").unwrap(), "echo custom\n");
    }
}
