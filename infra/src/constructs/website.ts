import {
  StaticWebsite,
  type StaticWebsiteProps,
} from "@aws/pdk/static-website";
import { Lazy } from "aws-cdk-lib";
import { GeoRestriction as GeoRestrictionConfig } from "aws-cdk-lib/aws-cloudfront";
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
}

/** The website on PDK's StaticWebsite: private S3 bucket behind CloudFront with WAF, plus runtime-config.json. */
export class Website extends Construct {
  readonly staticWebsite: StaticWebsite;

  constructor(scope: Construct, id: string, props: WebsiteProps) {
    super(scope, id);
    const geo = props.geoRestriction;
    if (geo && ("allow" in geo ? geo.allow : geo.deny).length === 0) {
      throw new Error(
        "Website geoRestriction: give at least one country code in 'allow' or 'deny'.",
      );
    }
    this.staticWebsite = new StaticWebsite(this, "StaticWebsite", {
      websiteContentPath: props.contentPath,
      distributionProps: geo
        ? ({
            geoRestriction:
              "allow" in geo
                ? GeoRestrictionConfig.allowlist(...geo.allow)
                : GeoRestrictionConfig.denylist(...geo.deny),
          } as NonNullable<StaticWebsiteProps["distributionProps"]>)
        : undefined,
      runtimeOptions: {
        jsonPayload: Lazy.any({ produce: () => props.runtimeConfig() }),
      },
    });
  }

  /** `https://<distribution domain>`. */
  get origin(): string {
    return `https://${this.staticWebsite.cloudFrontDistribution.distributionDomainName}`;
  }
}
