import {
  StaticWebsite,
  type StaticWebsiteProps,
} from "@aws/pdk/static-website";
import { contentSecurityPolicy } from "@sextant/api-typescript-handlers/content-security-policy";
import { Duration, Lazy } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
  GeoRestriction as GeoRestrictionConfig,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { CfnBucket, StorageClass, type Bucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** What the website reads from `runtime-config.json` (see website/src/runtime-config.ts). */
export interface WebsiteRuntimeConfig {
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly signOutUrl?: string;
}

/** Countries (ISO 3166-1 alpha-2) allowed or denied at CloudFront. */
export type GeoRestriction =
  { readonly allow: string[] } | { readonly deny: string[] };

/** Props for {@link Website}. */
export interface WebsiteProps {
  /**
   * Restrict viewers by country at CloudFront.
   * @default - no restriction (reachable from everywhere)
   */
  readonly geoRestriction?: GeoRestriction;
  /** The built website (Vite's `dist`). */
  readonly contentPath: string;
  /** Resolved lazily: the OIDC client needs the website's origin first. */
  readonly runtimeConfig: () => WebsiteRuntimeConfig;
  /**
   * The only origins the page may call (`connect-src`, `form-action`): the API and Cognito's.
   * Resolved lazily, like the runtime configuration.
   */
  readonly connectOrigins: () => string[];
  /**
   * Serve under this domain with this ACM certificate (in us-east-1), with TLS 1.2 at least.
   * @default - the distribution's cloudfront.net domain and certificate
   */
  readonly domain?: {
    readonly domainName: string;
    readonly certificateArn: string;
  };
  /** The API's domain: CloudFront serves it under the website's origin at `/api/*`, so no CORS is needed. */
  readonly apiDomainName: string;
  /** Headers CloudFront adds to every request it forwards to the API (the origin check). @default - none */
  readonly apiOriginHeaders?: Record<string, string>;
  /** The CloudFront web ACL (us-east-1). @default - PDK's default web ACL (managed common rules, no rate limit) */
  readonly webAclArn?: string;
}

/** The website on PDK's StaticWebsite: private S3 bucket behind CloudFront with WAF, plus runtime-config.json. */
export class Website extends Construct {
  readonly staticWebsite: StaticWebsite;
  private readonly domainName?: string;

  constructor(scope: Construct, id: string, props: WebsiteProps) {
    super(scope, id);
    this.domainName = props.domain?.domainName;
    if (
      props.domain &&
      !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(
        props.domain.certificateArn,
      )
    ) {
      throw new Error(
        "Website domain.certificateArn: give an ACM certificate ARN in us-east-1 (CloudFront requires it there).",
      );
    }
    const geo = props.geoRestriction;
    if (geo && ("allow" in geo ? geo.allow : geo.deny).length === 0) {
      throw new Error(
        "Website geoRestriction: give at least one country code in 'allow' or 'deny'.",
      );
    }
    const headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "Sextant: strict CSP, HSTS, no framing, no sniffing",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({
            produce: () => contentSecurityPolicy(props.connectOrigins()),
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    // Single-page-app routing for the website's own paths only: custom error responses would
    // apply to the API too and turn its 403s and 404s into index.html.
    const spaRouting = new CloudFrontFunction(this, "SpaRouting", {
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (!/\\.[a-z0-9]+$/i.test(r.uri)) { r.uri = '/index.html'; } return r; }",
      ),
    });
    this.staticWebsite = new StaticWebsite(this, "StaticWebsite", {
      websiteContentPath: props.contentPath,
      distributionProps: {
        ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
        defaultBehavior: {
          responseHeadersPolicy: headers,
          functionAssociations: [
            {
              function: spaRouting,
              eventType: FunctionEventType.VIEWER_REQUEST,
            },
          ],
        },
        errorResponses: [],
        additionalBehaviors: {
          "/api/*": {
            origin: new HttpOrigin(props.apiDomainName, {
              protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
              customHeaders: props.apiOriginHeaders,
            }),
            viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
            allowedMethods: AllowedMethods.ALLOW_ALL,
            cachePolicy: CachePolicy.CACHING_DISABLED,
            originRequestPolicy:
              OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            responseHeadersPolicy: headers,
          },
        },
        ...(geo
          ? {
              geoRestriction:
                "allow" in geo
                  ? GeoRestrictionConfig.allowlist(...geo.allow)
                  : GeoRestrictionConfig.denylist(...geo.deny),
            }
          : {}),
        ...(props.domain
          ? {
              domainNames: [props.domain.domainName],
              certificate: Certificate.fromCertificateArn(
                this,
                "Certificate",
                props.domain.certificateArn,
              ),
              minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            }
          : {}),
      } as unknown as NonNullable<StaticWebsiteProps["distributionProps"]>,
      runtimeOptions: {
        jsonPayload: Lazy.any({ produce: () => props.runtimeConfig() }),
      },
    });
    // Old website versions and access logs do not pile up forever.
    (this.staticWebsite.websiteBucket as Bucket).addLifecycleRule({
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    });
    for (const bucketId of ["AccessLogsBucket", "DistributionLogBucket"]) {
      const logBucket = this.staticWebsite.node.findChild(bucketId) as Bucket;
      // Versioned like every bucket here, so a deleted or overwritten log can be recovered for a
      // month (PDK's StaticWebsite creates these two without versioning).
      (logBucket.node.defaultChild as CfnBucket).versioningConfiguration = {
        status: "Enabled",
      };
      logBucket.addLifecycleRule({
        noncurrentVersionExpiration: Duration.days(30),
      });
      logBucket.addLifecycleRule({
        transitions: [
          {
            storageClass: StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(30),
          },
          {
            storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
            transitionAfter: Duration.days(90),
          },
        ],
        expiration: Duration.days(365),
      });
    }
  }

  /** The bucket PDK's StaticWebsite writes access logs to; other buckets' server access logs go there too. */
  get accessLogsBucket(): Bucket {
    return this.staticWebsite.node.findChild("AccessLogsBucket") as Bucket;
  }

  /** `https://<custom domain>`, or `https://<distribution domain>` without one. */
  get origin(): string {
    return `https://${this.domainName ?? this.staticWebsite.cloudFrontDistribution.distributionDomainName}`;
  }
}
