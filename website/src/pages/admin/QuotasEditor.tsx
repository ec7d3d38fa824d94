import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Select from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Table from "@cloudscape-design/components/table";
import Toggle from "@cloudscape-design/components/toggle";
import {
  useGetQuotas,
  useUpdateQuotas,
  type QuotaLimits,
  type Quotas,
} from "@sextant/api-typescript-react-query-hooks";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

const LIMITS = [
  ["messagesPerDay", "quotasEditor.questionsADay"],
  ["tokensPerDay", "quotasEditor.tokensADay"],
  ["requestsPerMinute", "quotasEditor.questionsAMinute"],
] as const;

/** One override as the editor holds it: for a group or a user. */
interface Override extends QuotaLimits {
  readonly kind: "groups" | "users";
  readonly name: string;
}

const toNumber = (text: string) => (text.trim() ? Number(text) : undefined);

/** The editable limits of one row: a number field per limit (empty: no limit). */
function LimitFields({
  limits,
  onChange,
  label,
}: {
  limits: QuotaLimits;
  onChange: (limits: QuotaLimits) => void;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {LIMITS.map(([key, text]) => (
        <FormField key={key} label={t(text)}>
          <Input
            type="number"
            inputMode="numeric"
            ariaLabel={t("quotasEditor.defaultLimitFor", {
              text: t(text),
              label,
            })}
            value={limits[key] === undefined ? "" : String(limits[key])}
            placeholder={t("quotasEditor.noLimit")}
            onChange={(e) =>
              onChange({ ...limits, [key]: toNumber(e.detail.value) })
            }
          />
        </FormField>
      ))}
    </>
  );
}

/**
 * The quotas (administrators): the default per user, overrides per group and per user (the most
 * specific wins), and the deployment's monthly budget. Saved with the version read (412 if
 * someone saved first); the API's 400 names each bad field.
 */
export function QuotasEditor() {
  const { t } = useTranslation();
  const current = useGetQuotas();
  const save = useUpdateQuotas({
    onSuccess: () => void queryClient.invalidateQueries(["getQuotas"]),
  });
  const [defaults, setDefaults] = useState<QuotaLimits>({});
  const [budget, setBudget] = useState<number | undefined>();
  const [overrides, setOverrides] = useState<Override[]>([]);

  useEffect(() => {
    const q = current.data?.quotas;
    if (!q) return;
    setDefaults(q.default ?? {});
    setBudget(q.monthlyBudgetUsd);
    setOverrides([
      ...Object.entries(q.groups ?? {}).map(([name, l]) => ({
        kind: "groups" as const,
        name,
        ...l,
      })),
      ...Object.entries(q.users ?? {}).map(([name, l]) => ({
        kind: "users" as const,
        name,
        ...l,
      })),
    ]);
  }, [current.data]);

  const quotas = (): Quotas => {
    const of = (kind: Override["kind"]) =>
      Object.fromEntries(
        overrides
          .filter((o) => o.kind === kind && o.name.trim())
          .map(({ kind: _kind, name, ...limits }) => [name.trim(), limits]),
      );
    return {
      default: defaults,
      groups: of("groups"),
      users: of("users"),
      ...(budget === undefined ? {} : { monthlyBudgetUsd: budget }),
    };
  };
  const update = (i: number, change: Partial<Override>) =>
    setOverrides(overrides.map((o, j) => (j === i ? { ...o, ...change } : o)));

  return (
    <Container
      header={
        <Header
          variant="h2"
          description={t("quotasEditor.checkedBeforeAnyModelCall")}
          actions={
            <Button
              variant="primary"
              loading={save.isLoading}
              disabled={!current.data}
              onClick={() =>
                save.mutate({
                  quotas: quotas(),
                  ifMatch: `"${current.data!.version}"`,
                })
              }
            >
              {t("quotasEditor.saveQuotas")}
            </Button>
          }
        >
          {t("quotasEditor.quotas")}
        </Header>
      }
    >
      <SpaceBetween size="m">
        <ProblemAlert
          error={current.error}
          header={t("quotasEditor.couldNotLoadTheQuotas")}
        />
        <ProblemAlert
          error={save.error}
          header={t("quotasEditor.theQuotasWereNotSaved")}
        />
        {save.isSuccess && (
          <Box color="text-status-success">
            {t("quotasEditor.savedAsVersion", { version: save.data.version })}
          </Box>
        )}
        <ColumnLayout columns={4}>
          <LimitFields
            limits={defaults}
            onChange={setDefaults}
            label={t("quotasEditor.everyone")}
          />
          <FormField
            label={t("quotasEditor.monthlyBudgetUsd")}
            description={t("quotasEditor.theWholeDeploymentSEstimated")}
          >
            <Input
              type="number"
              ariaLabel={t("quotasEditor.monthlyBudgetInDollars")}
              value={budget === undefined ? "" : String(budget)}
              placeholder={t("quotasEditor.noBudget")}
              onChange={(e) => setBudget(toNumber(e.detail.value))}
            />
          </FormField>
        </ColumnLayout>
        <Table
          variant="embedded"
          header={
            <Header
              variant="h3"
              actions={
                <Button
                  onClick={() =>
                    setOverrides([...overrides, { kind: "groups", name: "" }])
                  }
                >
                  {t("quotasEditor.addOverride")}
                </Button>
              }
            >
              {t("quotasEditor.overrides")}
            </Header>
          }
          items={overrides}
          empty={
            <Box textAlign="center">
              {t("quotasEditor.noOverridesTheDefaultApplies")}
            </Box>
          }
          columnDefinitions={[
            {
              id: "kind",
              header: t("quotasEditor.appliesTo"),
              cell: (o) => {
                const i = overrides.indexOf(o);
                const options = [
                  { value: "groups", label: t("quotasEditor.group") },
                  { value: "users", label: t("quotasEditor.user") },
                ];
                return (
                  <Select
                    ariaLabel={t("quotasEditor.overrideIsFor", {
                      number: i + 1,
                    })}
                    selectedOption={options.find((x) => x.value === o.kind)!}
                    options={options}
                    onChange={(e) =>
                      update(i, {
                        kind: e.detail.selectedOption.value as Override["kind"],
                      })
                    }
                  />
                );
              },
            },
            {
              id: "name",
              header: t("quotasEditor.name"),
              cell: (o) => {
                const i = overrides.indexOf(o);
                return (
                  <Input
                    ariaLabel={t("quotasEditor.overrideName", {
                      number: i + 1,
                    })}
                    value={o.name}
                    onChange={(e) => update(i, { name: e.detail.value })}
                  />
                );
              },
            },
            ...LIMITS.map(([key, text]) => ({
              id: key,
              header: t(text),
              cell: (o: Override) => {
                const i = overrides.indexOf(o);
                return (
                  <Input
                    type="number"
                    ariaLabel={t("quotasEditor.limitFor", {
                      text: t(text),
                      name:
                        o.name ||
                        t("quotasEditor.overrideNumber", { number: i + 1 }),
                    })}
                    value={o[key] === undefined ? "" : String(o[key])}
                    placeholder={t("quotasEditor.default")}
                    onChange={(e) =>
                      update(i, { [key]: toNumber(e.detail.value) })
                    }
                  />
                );
              },
            })),
            {
              id: "exempt",
              header: t("quotasEditor.exempt"),
              cell: (o) => {
                const i = overrides.indexOf(o);
                return (
                  <Toggle
                    ariaLabel={t("quotasEditor.exemptNamed", {
                      name:
                        o.name ||
                        t("quotasEditor.overrideNumber", { number: i + 1 }),
                    })}
                    checked={o.exempt === true}
                    onChange={(e) =>
                      update(i, { exempt: e.detail.checked || undefined })
                    }
                  />
                );
              },
            },
            {
              id: "remove",
              header: "",
              cell: (o) => (
                <Button
                  variant="icon"
                  iconName="remove"
                  ariaLabel={t("quotasEditor.removeOverride", { name: o.name })}
                  onClick={() => setOverrides(overrides.filter((x) => x !== o))}
                />
              ),
            },
          ]}
        />
      </SpaceBetween>
    </Container>
  );
}
