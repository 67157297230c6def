/** AWS Config's record of a resource: what an oversized change notification leaves out. */
import { type ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';

export interface RecordedItem {
  readonly status?: string;
  readonly capturedAt?: Date;
}

/** The latest configuration item Config recorded for the resource, if any. */
export async function latestConfigurationItem(
  client: ConfigServiceClient,
  resourceType: string,
  resourceId: string,
): Promise<RecordedItem | undefined> {
  const { configurationItems } = await client.send(
    new GetResourceConfigHistoryCommand({ resourceType: resourceType as never, resourceId, limit: 1 }),
  );
  const [item] = configurationItems ?? [];
  if (item === undefined) return undefined;
  return {
    ...(item.configurationItemStatus === undefined ? {} : { status: item.configurationItemStatus }),
    ...(item.configurationItemCaptureTime === undefined
      ? {}
      : { capturedAt: item.configurationItemCaptureTime }),
  };
}
