/**
 * Resolves a synthesized CloudFormation template's intrinsic functions into the concrete names and
 * ARNs a deployment in one account and region would have, so IAM policies can be evaluated as AWS
 * would evaluate them. Physical names are deterministic stand-ins (the logical id, lower-cased)
 * wherever the template leaves them to CloudFormation.
 */
export const ACCOUNT = "111111111111";

type Json = any;
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

/** The attribute formats of the resource types Sextant's policies refer to. */
const ARN: Record<string, (name: string, env: Env) => string> = {
  "AWS::S3::Bucket": (n) => `arn:aws:s3:::${n}`,
  "AWS::KMS::Key": (n, e) => `arn:aws:kms:${e.region}:${ACCOUNT}:key/${n}`,
  "AWS::Lambda::Function": (n, e) =>
    `arn:aws:lambda:${e.region}:${ACCOUNT}:function:${n}`,
  "AWS::IAM::Role": (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`,
  "AWS::SQS::Queue": (n, e) => `arn:aws:sqs:${e.region}:${ACCOUNT}:${n}`,
  "AWS::Logs::LogGroup": (n, e) =>
    `arn:aws:logs:${e.region}:${ACCOUNT}:log-group:${n}:*`,
  "AWS::StepFunctions::StateMachine": (n, e) =>
    `arn:aws:states:${e.region}:${ACCOUNT}:stateMachine:${n}`,
  "AWS::Cognito::UserPool": (n, e) =>
    `arn:aws:cognito-idp:${e.region}:${ACCOUNT}:userpool/${n}`,
  "AWS::RDS::DBCluster": (n, e) =>
    `arn:aws:rds:${e.region}:${ACCOUNT}:cluster:${n}`,
  "AWS::SecretsManager::Secret": (n, e) =>
    `arn:aws:secretsmanager:${e.region}:${ACCOUNT}:secret:${n}-AbCdEf`,
};
/** Types whose `Ref` is their ARN rather than their name. */
const REF_IS_ARN = new Set([
  "AWS::StepFunctions::StateMachine",
  "AWS::SecretsManager::Secret",
]);
const NAME_PROPERTY: Record<string, string> = {
  "AWS::S3::Bucket": "BucketName",
  "AWS::Lambda::Function": "FunctionName",
  "AWS::SQS::Queue": "QueueName",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::RDS::DBCluster": "DBClusterIdentifier",
  "AWS::IAM::Role": "RoleName",
  "AWS::StepFunctions::StateMachine": "StateMachineName",
  "AWS::Events::Rule": "Name",
};

interface Env {
  readonly region: string;
  readonly stackName: string;
}

/** A resolver for one template. */
export function templateResolver(
  resources: Record<string, Resource>,
  env: Env,
): (value: Json) => Json {
  const nameOf = (id: string): string => {
    const r = resources[id];
    const prop = NAME_PROPERTY[r?.Type];
    const named = prop && r.Properties?.[prop];
    return named ? String(resolve(named)) : id.toLowerCase();
  };
  const attribute = (id: string, attr: string): string => {
    const r = resources[id];
    if (!r) throw new Error(`No resource ${id} in the template`);
    const name = nameOf(id);
    if (r.Type === "AWS::RDS::DBCluster") {
      if (attr === "DBClusterResourceId") return `cluster-${id.toUpperCase()}`;
      if (attr === "DBClusterArn") return ARN[r.Type](name, env);
      if (attr === "MasterUserSecret.SecretArn")
        return `arn:aws:secretsmanager:${env.region}:${ACCOUNT}:secret:rds!cluster-${id}-AbCdEf`;
      if (attr === "Endpoint.Address")
        return `${name}.cluster-abc.${env.region}.rds.amazonaws.com`;
    }
    if (attr === "Arn" && ARN[r.Type]) return ARN[r.Type](name, env);
    if (attr === "Name" || attr === "QueueName") return name;
    if (attr === "QueueUrl")
      return `https://sqs.${env.region}.amazonaws.com/${ACCOUNT}/${name}`;
    return `${id}.${attr}`;
  };
  const ref = (id: string): string => {
    switch (id) {
      case "AWS::Partition":
        return "aws";
      case "AWS::Region":
        return env.region;
      case "AWS::AccountId":
        return ACCOUNT;
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return env.stackName;
    }
    const r = resources[id];
    if (!r) return id; // a parameter (asset bucket and the like)
    if (REF_IS_ARN.has(r.Type)) return ARN[r.Type](nameOf(id), env);
    if (r.Type === "AWS::SQS::Queue")
      return `https://sqs.${env.region}.amazonaws.com/${ACCOUNT}/${nameOf(id)}`;
    return nameOf(id);
  };
  const sub = (template: string, vars: Record<string, Json> = {}): string =>
    template.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => {
      if (expr in vars) return String(resolve(vars[expr]));
      const [id, ...attr] = expr.split(".");
      return attr.length ? attribute(id, attr.join(".")) : ref(id);
    });
  function resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const v = value[k];
      if (k === "Ref") return ref(v);
      if (k === "Fn::GetAtt") return attribute(v[0], v[1]);
      if (k === "Fn::Join")
        return (resolve(v[1]) as Json[]).map(String).join(v[0]);
      if (k === "Fn::Sub") return Array.isArray(v) ? sub(v[0], v[1]) : sub(v);
      if (k === "Fn::Select") return resolve(v[1])[Number(resolve(v[0]))];
      if (k === "Fn::Split") return String(resolve(v[1])).split(v[0]);
      if (k === "Fn::ImportValue") return `imported:${JSON.stringify(v)}`;
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(value[k])]));
  }
  return resolve;
}
