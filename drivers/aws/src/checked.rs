//! Checked values of AWS flags and cluster specs: each is validated where
//! it enters (a flag, a cluster file, a stored record), so nothing that
//! reaches an API call or a template can change the document around it.
//! They serialize as plain strings; a stored value that no longer passes
//! fails to load.

use machinectl_driver_api::checked_string;

fn matches(value: &str, pattern: &str, why: &str) -> Result<(), String> {
    let re = regex::Regex::new(pattern).expect("patterns are valid");
    if re.is_match(value) {
        Ok(())
    } else {
        Err(why.to_string())
    }
}

fn region_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$",
        "expected an AWS region such as us-east-1 or eu-west-2",
    )
}

fn zone_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^[a-z]$",
        "expected the zone's letter within the region, such as a",
    )
}

fn instance_type_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$",
        "expected an EC2 instance type such as t3.small",
    )
}

fn ami_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^ami-([0-9a-f]{8}|[0-9a-f]{17})$",
        "expected an AMI id such as ami-0123456789abcdef0",
    )
}

fn ipv4_cidr_why(value: &str) -> Result<(), String> {
    match value.parse::<ipnet::Ipv4Net>() {
        Ok(net) if net.trunc().to_string() == value => Ok(()),
        Ok(net) => Err(format!("write the network as {}", net.trunc())),
        Err(_) => Err("expected an IPv4 network such as 203.0.113.0/24 or 0.0.0.0/0".into()),
    }
}

fn user_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^[a-z_][a-z0-9_-]{0,31}$",
        "expected a user name of lower-case letters, digits, '_' and '-'",
    )
}

fn endpoint_why(value: &str) -> Result<(), String> {
    let url = url::Url::parse(value).map_err(|e| format!("{e}: give an http(s) URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("give an http(s) URL".into());
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a URL has no spaces or control characters".into());
    }
    Ok(())
}

fn profile_why(value: &str) -> Result<(), String> {
    matches(
        value,
        r"^[A-Za-z0-9_.@+-]{1,64}$",
        "expected a profile name of letters, digits and . _ - @ +",
    )
}

fn region(value: &str) -> Result<(), String> {
    region_why(value).map_err(|why| format!("invalid AWS region {value:?}: {why}"))
}

fn zone(value: &str) -> Result<(), String> {
    zone_why(value).map_err(|why| format!("invalid zone {value:?}: {why}"))
}

fn instance_type(value: &str) -> Result<(), String> {
    instance_type_why(value).map_err(|why| format!("invalid instance type {value:?}: {why}"))
}

fn ami(value: &str) -> Result<(), String> {
    ami_why(value).map_err(|why| format!("invalid AMI id {value:?}: {why}"))
}

fn ipv4_cidr(value: &str) -> Result<(), String> {
    ipv4_cidr_why(value).map_err(|why| format!("invalid CIDR {value:?}: {why}"))
}

fn user(value: &str) -> Result<(), String> {
    user_why(value).map_err(|why| format!("invalid user name {value:?}: {why}"))
}

fn endpoint(value: &str) -> Result<(), String> {
    endpoint_why(value).map_err(|why| format!("invalid endpoint URL {value:?}: {why}"))
}

fn profile(value: &str) -> Result<(), String> {
    profile_why(value).map_err(|why| format!("invalid profile name {value:?}: {why}"))
}

checked_string!(
    /// An AWS region (us-east-1).
    AwsRegion,
    region
);

checked_string!(
    /// A zone letter within the region (a).
    AwsZone,
    zone
);

checked_string!(
    /// An EC2 instance type (t3.small).
    InstanceType,
    instance_type
);

checked_string!(
    /// An AMI id (ami-…).
    AmiId,
    ami
);

checked_string!(
    /// An IPv4 network in CIDR form.
    Ipv4Cidr,
    ipv4_cidr
);

checked_string!(
    /// A login user on the hosts.
    UserName,
    user
);

checked_string!(
    /// An http(s) API endpoint.
    EndpointUrl,
    endpoint
);

checked_string!(
    /// A profile of the AWS shared configuration.
    ProfileName,
    profile
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_values_pass() {
        for (ok, value) in [
            (
                AwsRegion::try_from("us-east-1".to_string()).is_ok(),
                "region",
            ),
            (
                AwsRegion::try_from("us-gov-west-1".to_string()).is_ok(),
                "gov region",
            ),
            (AwsZone::try_from("b".to_string()).is_ok(), "zone"),
            (
                InstanceType::try_from("t3.small".to_string()).is_ok(),
                "type",
            ),
            (
                InstanceType::try_from("u-6tb1.metal".to_string()).is_ok(),
                "metal",
            ),
            (AmiId::try_from("ami-12c6146b".to_string()).is_ok(), "ami"),
            (Ipv4Cidr::try_from("0.0.0.0/0".to_string()).is_ok(), "cidr"),
            (
                EndpointUrl::try_from("http://127.0.0.1:5000".to_string()).is_ok(),
                "url",
            ),
        ] {
            assert!(ok, "{value}");
        }
    }

    #[test]
    fn structure_breaking_values_are_refused() {
        let evil = "t3.small\"\n      IamInstanceProfile: \"AdminProfile";
        let err = InstanceType::try_from(evil.to_string()).unwrap_err();
        assert!(err.starts_with("invalid instance type"), "{err}");
        assert!(Ipv4Cidr::try_from("0.0.0.0/0\"\n        - IpProtocol: -1".to_string()).is_err());
        assert!(
            Ipv4Cidr::try_from("10.0.0.1/8".to_string())
                .unwrap_err()
                .contains("10.0.0.0/8")
        );
        assert!(AwsZone::try_from("us-east-1a".to_string()).is_err());
        assert!(AmiId::try_from("ami-1; rm".to_string()).is_err());
        assert!(EndpointUrl::try_from("file:///etc/passwd".to_string()).is_err());
        assert!(UserName::try_from("root\nx".to_string()).is_err());
    }

    #[test]
    fn stored_values_are_checked_on_load() {
        let err = serde_json::from_str::<AwsRegion>("\"us-east-1\\\"x\"").unwrap_err();
        assert!(err.to_string().contains("invalid AWS region"), "{err}");
        let ok: AwsRegion = serde_json::from_str("\"eu-west-1\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"eu-west-1\"");
    }
}
