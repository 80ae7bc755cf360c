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
mod cluster_matrix;
mod concurrency;
mod digitalocean;
mod gce;
mod generic;
mod http_fake;
mod inputs;
mod isolated;
mod local;
mod parallel;
mod parity;
mod surface;
mod trust;
mod virtualbox;
