//! clusterctl's subcommands, one module each, over the same [`Context`]
//! machinectl uses (nodes are machines of the same store). They are thin:
//! the work is the cluster's provider's and orchestrator's
//! (`crate::cluster::providers`, `crate::cluster::orchestrators`).

pub mod by_tag;
pub mod down;
pub mod show;
pub mod up;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::cli::cluster::{ClusterCli, ClusterCommand, SpecArgs};
use crate::cluster::spec::{
    AwsSpec, DriverTemplate, GenericSpec, LocalSpec, ProviderKind, SpecFields, parse_file,
};
use crate::cluster::{ClusterRecord, ClusterSpec};
use crate::commands::{Context, Environment};
use crate::ui::Printer;

/// The spec from the file (if any) and the flags.
pub fn resolve_spec(args: &SpecArgs) -> Result<ClusterSpec> {
    let (file_name, file_fields) = match &args.file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("read cluster file {}", path.display()))?;
            parse_file(&path.display().to_string(), &text)
                .map_err(|e| anyhow!(crate::ui::printable(&e)))?
        }
        None => (None, SpecFields::default()),
    };
    let flags = SpecFields {
        provider: args.provider,
        nodes: args.nodes,
        managers: args.managers,
        orchestrator: args.orchestrator,
        aws: AwsSpec {
            region: args.aws_region.clone(),
            zone: args.aws_zone.clone(),
            instance_type: args.aws_instance_type.clone(),
            ami: args.aws_ami.clone(),
            allowed_cidr: args.allowed_cidr.clone(),
            ssh_user: args.aws_ssh_user.clone(),
            endpoint: args.aws_endpoint.clone(),
            profile: args.aws_profile.clone(),
        },
        local: LocalSpec {
            subnet: args.local_subnet.clone(),
        },
        generic: GenericSpec {
            hosts: args.hosts.clone(),
            ssh_key: args.ssh_key.clone().map(machinectl_driver_api::absolute),
        },
    };
    // A name on the command line wins over the file's metadata.name.
    let name = args.name.clone().or(file_name);
    let mut spec = ClusterSpec::resolve(name, file_fields, flags).map_err(|e| anyhow!(e))?;
    spec.driver = driver_template(spec.provider, args.driver_flags.as_ref(), &spec.name)?;
    Ok(spec)
}

/// The node driver the provider's flags describe (checked, nothing made),
/// for the providers whose nodes are a driver's machines.
pub fn driver_template(
    provider: ProviderKind,
    flags: Option<&clap::ArgMatches>,
    cluster: &str,
) -> Result<Option<DriverTemplate>> {
    let Some(driver) = provider.driver_flags_of() else {
        return Ok(None);
    };
    let Some(matches) = flags else {
        bail!(
            "--provider {driver} takes the {driver} driver's flags: give --provider on the command line (a cluster file alone cannot carry credentials)"
        );
    };
    let built = crate::drivers::from_flags(
        driver,
        matches,
        cluster,
        crate::cluster::providers::NODE_ENGINE_PORT,
    )?;
    Ok(Some(DriverTemplate(Box::new(built.driver))))
}

/// The named cluster, or the only one there is.
pub fn pick(ctx: &Context, name: Option<String>) -> Result<ClusterRecord> {
    if let Some(name) = name {
        return Ok(ctx.store.load_cluster(&name)?);
    }
    let names = ctx.store.cluster_names()?;
    match names.as_slice() {
        [one] => Ok(ctx.store.load_cluster(one)?),
        [] => {
            bail!("there are no clusters: make one with `clusterctl up --provider local --nodes 3`")
        }
        many => bail!("there are several clusters ({}): name one", many.join(", ")),
    }
}

pub async fn run(cli: ClusterCli, printer: Printer, env: Environment) -> Result<()> {
    let ctx = Context::new(cli.global.storage_path, printer, env);
    match cli.command {
        ClusterCommand::Up(args) => up::run(&ctx, *args).await,
        ClusterCommand::Down(args) => down::run(&ctx, args).await,
        ClusterCommand::Ls => show::ls(&ctx),
        ClusterCommand::Status(args) => show::status(&ctx, args.name).await,
        ClusterCommand::Env(args) => show::env(&ctx, args),
        ClusterCommand::Render(args) => up::render(&ctx, *args),
        ClusterCommand::Scale(args) => up::scale(&ctx, args).await,
        ClusterCommand::Completion(args) => crate::commands::completion::completion(
            &ctx,
            crate::cli::cluster::clusterctl_command(),
            args.shell,
        ),
        ClusterCommand::Man => {
            crate::commands::completion::man(&ctx, crate::cli::cluster::clusterctl_command())
        }
    }
}
