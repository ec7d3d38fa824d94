import SideNavigation, {
  type SideNavigationProps,
} from "@cloudscape-design/components/side-navigation";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";
import { SessionList } from "../pages/chat/SessionList";

/** The side navigation items; the administration section only for administrators. */
export function navigationItems(
  isAdministrator: boolean,
  t: (key: string) => string,
): SideNavigationProps.Item[] {
  const items: SideNavigationProps.Item[] = [
    { type: "link", text: t("navigation.newChat"), href: "/" },
  ];
  if (isAdministrator)
    items.push(
      { type: "divider" },
      {
        type: "section-group",
        title: t("navigation.administration"),
        items: [
          { type: "link", text: t("navigation.documents"), href: "/documents" },
          {
            type: "link",
            text: t("navigation.collections"),
            href: "/admin/collections",
          },
          {
            type: "link",
            text: t("navigation.assistants"),
            href: "/admin/assistants",
          },
          { type: "link", text: t("navigation.users"), href: "/admin/users" },
          { type: "link", text: t("navigation.usage"), href: "/admin/usage" },
          {
            type: "link",
            text: t("navigation.auditLog"),
            href: "/admin/audit-log",
          },
        ],
      },
    );
  return items;
}

/** Side navigation that routes in-app without a page load, with the caller's conversations below it. */
export function Navigation({ isAdministrator }: { isAdministrator: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  // A conversation is marked in the list below, not as "New chat".
  const active = location.pathname.startsWith("/sessions/")
    ? ""
    : location.pathname.startsWith("/admin/assistants/")
      ? "/admin/assistants"
      : location.pathname;
  const sessionId = /^\/sessions\/([^/]+)/.exec(location.pathname)?.[1];
  return (
    <>
      <SideNavigation
        header={{ text: "Sextant", href: "/" }}
        activeHref={active}
        items={navigationItems(isAdministrator, t)}
        onFollow={(event) => {
          if (!event.detail.external) {
            event.preventDefault();
            navigate(event.detail.href);
          }
        }}
      />
      <SessionList activeId={sessionId} />
    </>
  );
}
