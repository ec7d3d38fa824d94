import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "./ProblemAlert";

/** A modal with Cancel and one primary action; shows the action's API error inside. */
export function ConfirmModal({
  header,
  confirmText,
  onConfirm,
  onClose,
  loading,
  error,
  size,
  children,
}: {
  header: string;
  confirmText: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  error?: unknown;
  /** @default "medium" */
  size?: "medium" | "large";
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      visible
      size={size}
      onDismiss={onClose}
      closeAriaLabel={t("confirmModal.closeDialog")}
      header={header}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              {t("confirmModal.cancel")}
            </Button>
            <Button variant="primary" loading={loading} onClick={onConfirm}>
              {confirmText}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <SpaceBetween size="s">
          {children}
          <ProblemAlert error={error} />
        </SpaceBetween>
      </form>
    </Modal>
  );
}
