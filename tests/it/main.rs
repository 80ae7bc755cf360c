//! The one integration-test binary: every test runs the built machinectl.
//! Tests that need namespace hosts need root, iproute2, openssh-server and
//! docker.io; they skip with a printed reason elsewhere (never in CI).

mod common;

mod aws;
mod azure;
mod bad_input;
mod bad_input_table;
mod cli;
mod cluster;
mod cluster_aws;
mod cluster_azure;
mod cluster_digitalocean;
mod cluster_gce;
mod cluster_generic;
mod cluster_matrix;
mod cluster_virtualbox;
mod concurrency;
mod crash;
mod crash_drivers;
mod digitalocean;
mod fuzz;
mod gce;
mod generic;
mod http_fake;
mod inputs;
mod isolated;
mod local;
mod parallel;
mod parity;
mod security;
mod surface;
mod trust;
mod virtualbox;
