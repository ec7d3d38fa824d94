import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import Select from "@cloudscape-design/components/select";
import Textarea from "@cloudscape-design/components/textarea";
import Toggle from "@cloudscape-design/components/toggle";
import { useTranslation } from "react-i18next";
import { getAt, numberOrText, withAt } from "../lib/paths";

/** One field of an inference-configuration form, bound by its dotted path, with its validation message. */
export interface ConfigFieldProps<T> {
  readonly path: string;
  /** A catalogue key (src/locales). */
  readonly label: string;
  /** A catalogue key. */
  readonly description?: string;
  readonly kind: "number" | "text" | "textarea" | "toggle" | "select";
  /** The choices of a `select`. */
  readonly options?: readonly string[];
  readonly value: T;
  readonly onChange: (next: T) => void;
  readonly errors: Readonly<Record<string, string>>;
}

/** A form field for one configuration value; the error shown is the API's own validation message. */
export function ConfigField<T>({
  path,
  label,
  description,
  kind,
  options,
  value,
  onChange,
  errors,
}: ConfigFieldProps<T>) {
  const { t } = useTranslation();
  const current = getAt(value, path);
  const set = (next: unknown) => onChange(withAt(value, path, next));
  return (
    <FormField
      label={t(label)}
      description={description && t(description)}
      errorText={errors[path]}
      stretch={kind === "textarea"}
    >
      {kind === "select" ? (
        <Select
          selectedOption={
            current === undefined ? null : { value: String(current) }
          }
          placeholder={t("configField.default")}
          options={(options ?? []).map((o) => ({ value: o }))}
          onChange={(e) => set(e.detail.selectedOption.value)}
        />
      ) : kind === "toggle" ? (
        <Toggle
          checked={current === true}
          onChange={(e) => set(e.detail.checked)}
        >
          {current ? t("configField.on") : t("configField.off")}
        </Toggle>
      ) : kind === "textarea" ? (
        <Textarea
          value={String(current ?? "")}
          rows={8}
          onChange={(e) => set(e.detail.value || undefined)}
        />
      ) : (
        <Input
          type={kind === "number" ? "number" : "text"}
          inputMode={kind === "number" ? "decimal" : undefined}
          value={current === undefined ? "" : String(current)}
          onChange={(e) =>
            set(
              kind === "number"
                ? numberOrText(e.detail.value)
                : e.detail.value || undefined,
            )
          }
        />
      )}
    </FormField>
  );
}

/** Validation messages by dotted path. */
export const errorsByPath = (
  fields: readonly { path: string; message: string }[],
): Record<string, string> =>
  Object.fromEntries(fields.map((f) => [f.path, f.message]));
